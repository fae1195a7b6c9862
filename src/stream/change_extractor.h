// ChangeExtractor: from raw binlog events to row changes of the wanted tables.
//
// It owns the BinlogDecoder (format description, table maps), opens TRANSACTION_PAYLOAD
// events, walks every row of every rows event of a wanted table and hands each change to a
// ChangeConsumer, in binlog order. Pure: no I/O, so `decode` (files) and the daemon (the
// replication stream) share it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "binlog/decoder.h"
#include "common/result.h"
#include "model/change_event.h"
#include "model/row_image.h"
#include "model/table_id.h"
#include "model/table_pattern.h"
#include "state/state_file.h"
#include "stream/statement_guard.h"
#include "stream/table_ddl.h"

namespace cdc::stream {

// Which tables to emit: empty = all tables. Optionally, per table, from which binlog position
// on (state::TableStart: a table whose saved position is later than the stream's start).
class TableFilter {
public:
    TableFilter() = default;
    // A "*" table matches a whole schema.
    void add(model::TableId table);
    // MYSQL_TABLE's patterns: a table not added that one selects joins the set when the stream
    // first sees it (matches_or_joins). Without patterns or added tables the filter is empty.
    void set_patterns(std::shared_ptr<const model::TableSelection> patterns);
    bool empty() const { return exact_.empty() && schemas_.empty() && patterns_ == nullptr; }
    bool matches(const model::TableId& table) const;
    // matches(), or a table the patterns select joins the set from now on (recorded in
    // joined()). The patterns are tried once per table name; the caller caches per table map.
    bool matches_or_joins(const model::TableId& table);
    struct Joined {
        model::TableId table;
        std::string pattern;         // as written
        model::BinlogPosition from;  // the rows event where its first change was seen
        // Its CREATE TABLE (or a RENAME of a watched table to its name) was in the stream: every
        // row it has is in the binlog after that, so streaming it is exact.
        bool created_while_streaming = false;
    };
    // A QUERY event's CREATE TABLE / RENAME TABLE (stream/table_ddl.h), with patterns only.
    bool has_patterns() const { return patterns_ != nullptr; }
    void on_table_ddl(const TableDdl& ddl);
    // Tables that joined since the last take_joined(); has_joined() is the cheap test.
    bool has_joined() const { return !joined_.empty(); }
    std::vector<Joined> take_joined() { return std::exchange(joined_, {}); }
    // For names written in statements (stream/statement_guard.h): letter case aside, and a table
    // of any schema (a statement without a default database).
    bool matches_ignoring_case(const model::TableId& table) const;
    bool matches_table_in_any_schema(const std::string& table) const;

    // The stream starts in `file`; the tables of `starts` are emitted from their start on: no
    // change of a rows event before it, and not the first skip_rows changes (of the start's
    // tables together) at or after it.
    void set_starts(const std::vector<state::TableStart>& starts, std::string file);
    void on_rotate(const std::string& next_file) { file_ = next_file; }
    // The rows event the next matches_or_joins() is for.
    void at_offset(uint64_t offset) { offset_ = offset; }
    // The start that applies to a table, or -1.
    int start_of(const model::TableId& table) const;
    // Whether a change of a table with start `start`, in the rows event at `offset` of the
    // current file, is emitted (counts the change towards the start's skip_rows).
    bool admit(int start, uint64_t offset);

private:
    struct Start {
        model::BinlogPosition position;
        uint64_t skip_rows = 0;
        uint64_t skipped = 0;
        bool reached = false;
    };

    std::unordered_set<model::TableId> exact_;
    std::unordered_set<std::string> schemas_;  // whole schemas
    std::shared_ptr<const model::TableSelection> patterns_;
    std::unordered_set<model::TableId> rejected_;  // names the patterns do not select
    std::unordered_set<model::TableId> created_;   // see Joined::created_while_streaming
    std::vector<Joined> joined_;
    uint64_t offset_ = 0;  // of the rows event being matched, for Joined::from
    std::unordered_map<model::TableId, int> start_of_;  // index in starts_
    std::vector<Start> starts_;
    std::string file_;
};

class ChangeConsumer {
public:
    virtual ~ChangeConsumer() = default;
    // Every decoded event, before the changes of its rows; `top_level` is false for events
    // inside a TRANSACTION_PAYLOAD.
    virtual Status on_event(const binlog::Event& event, bool top_level) {
        (void)event;
        (void)top_level;
        return {};
    }
    // `offset` is the start of the rows event; `row_index` counts rows within it.
    virtual Status on_change(const model::ChangeEvent& change, uint64_t offset,
                             uint32_t row_index) = 0;
    // A DDL of a watched table (EMIT_SCHEMA_CHANGES: statement_guard.h), in order with the
    // changes; by default not written.
    virtual Status on_schema_change(const model::SchemaChange& change) {
        (void)change;
        return {};
    }
};

// What a wanted table's rows events must carry to be emitted; an event with less stops the
// extraction with an error naming the server setting (binlog::check_full_row_images,
// check_column_names). Tables that are not wanted are never checked.
struct RowRequirements {
    bool full_images = true;   // every column in every image (binlog_row_image=FULL)
    bool column_names = true;  // a TABLE_MAP with names (binlog_row_metadata=FULL)
    std::string hint;          // appended to either error: what else the user can do
};

class ChangeExtractor {
public:
    ChangeExtractor(binlog::DecoderOptions options, TableFilter filter,
                    StatementGuardOptions guard = {});
    ChangeExtractor(const ChangeExtractor&) = delete;  // guard_ refers to filter_
    ChangeExtractor& operator=(const ChangeExtractor&) = delete;

    void require(RowRequirements requirements) { requirements_ = std::move(requirements); }

    // Decodes one complete event (header..checksum) that starts at `offset`.
    Status feed(Bytes event, uint64_t offset, ChangeConsumer& consumer);

    const binlog::BinlogDecoder& decoder() const { return decoder_; }
    // Tables that joined the set by a pattern: see TableFilter::take_joined.
    TableFilter& filter() { return filter_; }
    uint64_t changes() const { return changes_; }
    // Partial JSON updates left out (DecoderOptions::partial_json_without_before_as_absent).
    uint64_t unresolved_partial_json() const { return unresolved_partial_json_; }
    // Events that change rows without rows events: see stream/statement_guard.h.
    const StatementGuard& guard() const { return guard_; }
    StatementGuard& guard() { return guard_; }

private:
    Status handle(binlog::Event& event, bool top_level, ChangeConsumer& consumer);
    Status emit_rows(const binlog::RowsEvent& rows, uint64_t offset, ChangeConsumer& consumer);
    bool wanted(const model::TableSchema& table, uint64_t offset);

    binlog::DecoderOptions options_;
    RowRequirements requirements_;
    binlog::BinlogDecoder decoder_;
    TableFilter filter_;
    StatementGuard guard_;
    std::unordered_map<const model::TableSchema*, bool> wanted_cache_;
    std::unordered_map<const model::TableSchema*, int> start_cache_;
    model::RowImage before_;
    model::RowImage after_;
    uint64_t changes_ = 0;
    uint64_t unresolved_partial_json_ = 0;
};

}  // namespace cdc::stream
