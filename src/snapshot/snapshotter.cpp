#include "snapshot/snapshotter.h"

#include <spdlog/spdlog.h>

#include "model/row_image.h"
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

std::pair<std::string, std::string> split_table(const std::string& qualified) {
    size_t dot = qualified.find('.');
    return {qualified.substr(0, dot), qualified.substr(dot + 1)};
}

}  // namespace

Status Snapshotter::run(SnapshotState& state, SnapshotOutput& out) {
    ProgressMeter meter(options_.progress_interval, options_.progress_bar);
    model::RowImage image;
    for (TableProgress& progress : state.tables) {
        if (progress.done) continue;
        auto [schema, table] = split_table(progress.table);
        auto layout = load_table_layout(reader_, schema, table);
        if (!layout) return layout.error();
        if (layout->key.empty()) {
            spdlog::warn("snapshot of {}: no primary key, reading with one streaming query (a "
                         "crash restarts this table)", progress.table);
            progress.rows = 0;
        } else if (!progress.last_key.empty()) {
            spdlog::info("snapshot of {}: resuming after key {} ({} rows done)", progress.table,
                         key_text(progress.last_key), progress.rows);
        } else {
            spdlog::info("snapshot of {}: starting (about {} rows)", progress.table,
                         layout->estimated_rows);
        }
        meter.start_table(progress.table, progress.rows, layout->estimated_rows);
        RowConverter converter(*layout);
        model::ChangeEvent change;
        change.kind = model::ChangeKind::SnapshotInsert;
        change.table = &layout->event_schema;
        change.after = &image;
        std::vector<KeyValue> key;
        const uint32_t limit = layout->key.empty() ? 0 : options_.batch_size;
        for (;;) {
            auto sql = chunk_query(*layout, progress.last_key, limit);
            if (!sql) return sql.error();
            uint64_t chunk_rows = 0;
            Status st = reader_.stream_query(
                *sql,
                [&](const std::vector<mysql::ResultColumn>& columns) {
                    return converter.start(columns);
                },
                [&](const mysql::StreamedRow& row) -> Status {
                    // A chunk is finished even when asked to stop (it is short), so the
                    // output can be checkpointed; a keyless table's one query is not.
                    if (layout->key.empty() && out.stopping()) {
                        return make_error(Errc::Unavailable, "stopping");
                    }
                    Status c = converter.convert(row, image);
                    if (!c) return c;
                    c = out.row(change, state.rows());
                    if (!c) return c;
                    ++progress.rows;
                    ++chunk_rows;
                    meter.add_rows(1);
                    if (!layout->key.empty()) converter.key_of(row, key);
                    return {};
                });
            if (!st) {
                if (out.stopping()) return {};
                return st.error().with_context("snapshot of " + progress.table + ": ");
            }
            bool finished = layout->key.empty() || chunk_rows < limit;
            if (chunk_rows > 0 && !layout->key.empty()) progress.last_key = key;
            if (finished) progress.done = true;
            // A keyless table is recorded only when complete: its rows cannot be resumed.
            if (finished || !layout->key.empty()) {
                Status c = out.chunk_done(state);
                if (!c) return c;
            }
            if (finished) break;
            if (out.stopping()) return {};
        }
        meter.finish_table();
        spdlog::info("snapshot of {}: done, {} rows", progress.table, progress.rows);
    }
    return {};
}

}  // namespace cdc::snapshot
