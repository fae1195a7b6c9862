#include "stream/change_extractor.h"

#include <type_traits>

#include "binlog/row_decoder.h"
#include "state/position_order.h"

namespace cdc::stream {

void TableFilter::add(model::TableId table) {
    if (table.table == "*") {
        schemas_.insert(std::move(table.schema));
        return;
    }
    exact_.insert(std::move(table));
}

bool TableFilter::matches(const model::TableId& table) const {
    if (exact_.empty() && schemas_.empty() && patterns_ == nullptr) return true;
    if (schemas_.count(table.schema) != 0) return true;
    return exact_.count(table) != 0;
}

void TableFilter::set_patterns(std::shared_ptr<const model::TableSelection> patterns) {
    if (patterns != nullptr && patterns->include.empty()) patterns = nullptr;
    patterns_ = std::move(patterns);
}

bool TableFilter::matches_or_joins(const model::TableId& table) {
    if (matches(table)) return true;
    if (patterns_ == nullptr || rejected_.count(table) != 0) return false;
    const model::TablePattern* by = patterns_->selects(table);
    if (by == nullptr) {
        rejected_.insert(table);
        return false;
    }
    exact_.insert(table);
    joined_.push_back({table, by->text, {file_, offset_}, created_.count(table) != 0});
    return true;
}

void TableFilter::on_table_ddl(const TableDdl& ddl) {
    for (const model::TableId& t : ddl.created) created_.insert(t);
    for (const auto& [from, to] : ddl.renamed) {
        // A watched table under a new name: its earlier rows are in the output already.
        if (matches(from) || created_.count(from) != 0) created_.insert(to);
    }
}

void TableFilter::set_starts(const std::vector<state::TableStart>& starts, std::string file) {
    start_of_.clear();
    starts_.clear();
    file_ = std::move(file);
    for (const state::TableStart& s : starts) {
        for (const model::TableId& t : s.tables) start_of_[t] = static_cast<int>(starts_.size());
        starts_.push_back({s.position, s.skip_rows, 0, false});
    }
}

int TableFilter::start_of(const model::TableId& table) const {
    if (start_of_.empty()) return -1;
    auto it = start_of_.find(table);
    return it == start_of_.end() ? -1 : it->second;
}

bool TableFilter::admit(int start, uint64_t offset) {
    Start& s = starts_[static_cast<size_t>(start)];
    if (!s.reached) {
        // Files of another basename cannot be ordered: the state store refused such starts.
        auto order = state::compare_positions({file_, offset}, s.position);
        if (order && *order == std::strong_ordering::less) return false;
        s.reached = true;
    }
    if (s.skipped < s.skip_rows) {
        ++s.skipped;
        return false;
    }
    return true;
}

ChangeExtractor::ChangeExtractor(binlog::DecoderOptions options, TableFilter filter,
                                 StatementGuardOptions guard)
    : options_(options),
      decoder_(options),
      filter_(std::move(filter)),
      guard_(filter_, std::move(guard)) {}

Status ChangeExtractor::feed(Bytes event, uint64_t offset, ChangeConsumer& consumer) {
    Result<binlog::Event> decoded = decoder_.decode(event, offset);
    if (!decoded) return decoded.error();
    return handle(*decoded, /*top_level=*/true, consumer);
}

Status ChangeExtractor::handle(binlog::Event& event, bool top_level, ChangeConsumer& consumer) {
    Status observed = consumer.on_event(event, top_level);
    if (!observed) return observed;
    Status guarded = guard_.check(event, top_level, consumer, changes_);
    if (!guarded) return guarded;
    if (const auto* rotate = std::get_if<binlog::RotateEvent>(&event.body); rotate && top_level) {
        filter_.on_rotate(rotate->next_file);
    }
    if (const auto* query = std::get_if<binlog::QueryEvent>(&event.body);
        query && filter_.has_patterns()) {
        filter_.on_table_ddl(read_table_ddl(query->sql, query->schema));
    }
    if (std::holds_alternative<binlog::TableMapNotice>(event.body)) {
        // A table id may be re-mapped (e.g. after ALTER TABLE): forget cached decisions.
        wanted_cache_.clear();
        start_cache_.clear();
        return {};
    }
    if (std::holds_alternative<binlog::FormatDescriptionEvent>(event.body)) {
        wanted_cache_.clear();
        start_cache_.clear();
        return {};
    }
    if (auto* rows = std::get_if<binlog::RowsEvent>(&event.body)) {
        return emit_rows(*rows, event.offset, consumer);
    }
    if (auto* payload = std::get_if<binlog::TransactionPayloadEvent>(&event.body)) {
        size_t cursor = 0;
        while (true) {
            auto inner = decoder_.next_payload_event(*payload, cursor, event.offset);
            if (!inner) return inner.error();
            if (!inner->has_value()) return {};
            Status st = handle(**inner, /*top_level=*/false, consumer);
            if (!st) return st;
        }
    }
    return {};
}

bool ChangeExtractor::wanted(const model::TableSchema& table, uint64_t offset) {
    auto it = wanted_cache_.find(&table);
    if (it != wanted_cache_.end()) return it->second;
    filter_.at_offset(offset);
    bool w = filter_.matches_or_joins({table.schema, table.table});
    wanted_cache_.emplace(&table, w);
    return w;
}

Status ChangeExtractor::emit_rows(const binlog::RowsEvent& rows, uint64_t offset,
                                  ChangeConsumer& consumer) {
    const model::TableSchema* table = decoder_.table(rows.table_id);
    if (table == nullptr) {
        return make_error(Errc::DataLoss, "rows event at offset " + std::to_string(offset) +
                                              " for table id " + std::to_string(rows.table_id) +
                                              " without a preceding TABLE_MAP");
    }
    if (!wanted(*table, offset)) return {};
    Status complete;
    if (requirements_.column_names) complete = binlog::check_column_names(rows, *table, offset);
    if (complete && requirements_.full_images) {
        complete = binlog::check_full_row_images(rows, *table, offset);
    }
    if (!complete) {
        return Error{complete.error().code, complete.error().message + requirements_.hint};
    }
    auto cached_start = start_cache_.find(table);
    if (cached_start == start_cache_.end()) {
        cached_start =
            start_cache_.emplace(table, filter_.start_of({table->schema, table->table})).first;
    }
    const int start = cached_start->second;

    model::ChangeEvent change;
    change.table = table;
    switch (rows.kind) {
        case binlog::RowsKind::Write: change.kind = model::ChangeKind::Insert; break;
        case binlog::RowsKind::Update:
        case binlog::RowsKind::PartialUpdate: change.kind = model::ChangeKind::Update; break;
        case binlog::RowsKind::Delete: change.kind = model::ChangeKind::Delete; break;
    }
    change.before = change.kind == model::ChangeKind::Insert ? nullptr : &before_;
    change.after = change.kind == model::ChangeKind::Delete ? nullptr : &after_;

    if (binlog::has_old_temporal_columns(*table)) {
        // A misread of these columns may only show at a later row: decode the whole event
        // once before emitting anything, so no misread row is ever emitted.
        binlog::RowDecoder check(rows, *table, offset);
        while (true) {
            Result<bool> more = check.next(before_, after_);
            if (!more) return more.error();
            if (!*more) break;
        }
    }
    binlog::RowDecoder decoder(rows, *table, offset);
    if (options_.partial_json_without_before_as_absent) {
        decoder.leave_out_unresolvable_partial_json(&unresolved_partial_json_);
    }
    for (uint32_t row_index = 0;; ++row_index) {
        Result<bool> more = decoder.next(before_, after_);
        if (!more) return more.error();
        if (!*more) return {};
        if (start >= 0 && !filter_.admit(start, offset)) continue;
        Status st = consumer.on_change(change, offset, row_index);
        if (!st) return st;
        ++changes_;
    }
}

}  // namespace cdc::stream
