#include "snapshot/snapshotter.h"

#include <spdlog/spdlog.h>

#include "common/log_fields.h"
#include "model/row_image.h"
#include "snapshot/chunk_reader.h"
#include "snapshot/progress_meter.h"
#include "snapshot/row_converter.h"
#include "snapshot/table_layout.h"

namespace cdc::snapshot {
namespace {

std::string key_text(const std::vector<KeyValue>& key) {
    std::string out = "(";
    for (size_t i = 0; i < key.size(); ++i) {
        if (i != 0) out += ", ";
        const KeyValue& v = key[i];
        bool printable = v.kind != KeyValue::Kind::Binary;
        for (unsigned char c : v.text) printable = printable && c >= 0x20 && c < 0x7f;
        out += printable ? v.text : "<" + std::to_string(v.text.size()) + " bytes>";
    }
    return out + ")";
}

}  // namespace

Status Snapshotter::run(SnapshotState& state, SnapshotOutput& out) {
    ProgressMeter meter(options_.progress_interval, options_.progress_bar);
    model::RowImage image;
    for (TableProgress& progress : state.tables) {
        if (progress.done) continue;
        const std::string name = progress.table.qualified();
        auto layout = load_table_layout(reader_, progress.table);
        if (!layout) return layout.error();
        if (layout->key.empty()) {
            spdlog::warn(
                "snapshot of {}: no primary key, reading with one streaming query (a "
                "crash restarts this table)",
                name);
            progress.rows = 0;
        } else {
            LogFields fields{{"table", name},
                             {"rows", progress.rows},
                             {"rows_estimated", layout->estimated_rows}};
            if (!progress.last_key.empty()) {
                spdlog::info("snapshot of {}: resuming after key {} ({} rows done)", name,
                             key_text(progress.last_key), progress.rows);
            } else {
                spdlog::info("snapshot of {}: starting (about {} rows)", name,
                             layout->estimated_rows);
            }
        }
        meter.start_table(name, progress.rows, layout->estimated_rows);
        out.table_started(progress.table, progress.rows, layout->estimated_rows);
        RowConverter converter(*layout);
        model::ChangeEvent change;
        change.kind = model::ChangeKind::SnapshotInsert;
        change.table = &layout->event_schema;
        change.after = &image;
        const bool keyed = !layout->key.empty();
        ChunkReader chunks(reader_, *layout, progress.last_key, keyed ? options_.batch_size : 0);
        for (;;) {
            // A chunk is finished even when asked to stop (it is short), so the output can be
            // checkpointed at its end; a keyless table's one query is not.
            if (!keyed && out.stopping()) return {};
            auto batch = chunks.next();
            if (!batch) {
                if (out.stopping()) return {};
                return batch.error();
            }
            RowBatch& b = **batch;
            if (b.columns) {
                Status st = converter.start(*b.columns);
                if (!st) return st;
            }
            for (size_t i = 0; i < b.rows(); ++i) {
                Status st = converter.convert(b.row(i), image);
                if (!st) return st;
                st = out.row(change, state.rows());
                if (!st) return st;
                ++progress.rows;
            }
            meter.add_rows(b.rows());
            if (!b.chunk_end) continue;
            if (keyed && b.chunk_rows > 0) progress.last_key = std::move(b.last_key);
            if (b.table_end) progress.done = true;
            // A keyless table is recorded only when complete: its rows cannot be resumed.
            if (b.table_end || keyed) {
                Status st = out.chunk_done(state);
                if (!st) return st;
            }
            if (b.table_end) break;
            if (out.stopping()) return {};
        }
        meter.finish_table();
        LogFields fields{{"table", name}, {"rows", progress.rows}};
        spdlog::info("snapshot of {}: done, {} rows", name, progress.rows);
    }
    return {};
}

}  // namespace cdc::snapshot
