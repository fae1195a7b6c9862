#include "stream/xa_gate.h"

#include <variant>

#include "binlog/decoder.h"

namespace cdc::stream {
namespace {

// Passes a kept group's changes on, and none of its events: the consumer's view of the
// transaction (the tracker) is the XA COMMIT's group, not the kept one.
class ChangesOnly final : public ChangeConsumer {
public:
    explicit ChangesOnly(ChangeConsumer& inner) : inner_(inner) {}
    Status on_change(const model::ChangeEvent& change, uint64_t offset,
                     uint32_t row_index) override {
        return inner_.on_change(change, offset, row_index);
    }

private:
    ChangeConsumer& inner_;
};

std::string at(std::string_view file, uint64_t offset) {
    return std::string(file) + ":" + std::to_string(offset);
}

}  // namespace

XaGate::XaGate(ChangeConsumer& inner, PreparedXaStore& store, Options options)
    : inner_(inner), store_(store), options_(std::move(options)) {}

Status XaGate::on_event(const binlog::Event& event, bool top_level) {
    const auto& body = event.body;
    bool gtid = std::holds_alternative<binlog::MariaGtidEvent>(body) ||
                std::holds_alternative<binlog::GtidEvent>(body);
    if (gtid && capturing_) {
        seen_.error = make_error(Errc::Malformed,
                                 "a GTID event inside the XA PREPARE group that "
                                 "starts at " +
                                     group_start_.to_string() + ", which has no XA_PREPARE event");
        return inner_.on_event(event, top_level);
    }
    if (const auto* g = std::get_if<binlog::MariaGtidEvent>(&body)) {
        if (g->xa_prepared()) seen_.group_starts = true;
    } else if (std::holds_alternative<binlog::GtidEvent>(body)) {
        seen_.mysql_gtid = top_level;
    } else if (const auto* q = std::get_if<binlog::QueryEvent>(&body)) {
        auto xa = binlog::parse_xa_statement(q->sql);
        if (xa && !*xa) {
            seen_.error = xa->error();
        } else if (xa) {
            binlog::XaStatement& statement = **xa;
            switch (statement.kind) {
                case binlog::XaStatementKind::Start:
                    if (!capturing_) seen_.group_starts = true;
                    break;
                case binlog::XaStatementKind::End: break;
                case binlog::XaStatementKind::Commit:
                case binlog::XaStatementKind::Rollback:
                    seen_.resolution = std::move(statement);
                    break;
            }
        }
    } else if (const auto* p = std::get_if<binlog::XaPrepareEvent>(&body)) {
        seen_.prepare = *p;
    }
    // A group is held back from its first event on, so none of its changes reach inner_.
    if (seen_.group_starts) capturing_ = true;
    return inner_.on_event(event, top_level);
}

Status XaGate::on_change(const model::ChangeEvent& change, uint64_t offset, uint32_t row_index) {
    if (capturing_) return {};
    return inner_.on_change(change, offset, row_index);
}

Status XaGate::on_schema_change(const model::SchemaChange& change) {
    if (capturing_) return {};  // a DDL is never part of an XA transaction's group
    return inner_.on_schema_change(change);
}

Status XaGate::after_event(Bytes bytes, std::string_view file, uint64_t offset) {
    Seen seen = std::move(seen_);
    seen_ = Seen{};
    if (seen.error) return seen.error->with_context(at(file, offset) + ": ");
    auto header = binlog::parse_event_header(bytes, offset);
    if (!header) return header.error();
    if (header->type == static_cast<uint8_t>(binlog::EventType::FormatDescription)) {
        fde_.assign(bytes.begin(), bytes.end());
        return {};
    }
    std::vector<uint8_t> gtid = std::move(gtid_);
    gtid_.clear();
    if (seen.group_starts) {
        if (fde_.empty()) {
            return make_error(Errc::Malformed, at(file, offset) +
                                                   ": an XA transaction before any "
                                                   "FORMAT_DESCRIPTION event");
        }
        // MySQL: the group starts at the GTID before its XA START, MariaDB at its GTID.
        bool with_gtid = !gtid.empty();
        group_start_ = {std::string(file), with_gtid ? gtid_offset_ : offset};
        Status st = store_.begin_capture(group_start_, fde_);
        if (st && with_gtid) st = store_.capture(gtid);
        if (!st) return st;
    } else if (seen.mysql_gtid && !capturing_) {
        gtid_.assign(bytes.begin(), bytes.end());
        gtid_offset_ = offset;
        return {};
    }
    if (capturing_) {
        Status st = store_.capture(bytes);
        if (!st) return st;
    }
    if (seen.prepare) {
        if (!capturing_) {
            return make_error(Errc::Malformed,
                              at(file, offset) + ": XA_PREPARE of " +
                                  seen.prepare->xid.to_string() +
                                  " without the start of its group (XA START or a GTID with "
                                  "FL_PREPARED_XA)");
        }
        return finish_group(*seen.prepare, {std::string(file), offset});
    }
    if (seen.resolution) {
        if (capturing_) {
            return make_error(Errc::Malformed, at(file, offset) +
                                                   ": XA COMMIT/ROLLBACK inside the XA PREPARE "
                                                   "group that starts at " +
                                                   group_start_.to_string());
        }
        return resolve(*seen.resolution, {std::string(file), header->log_pos});
    }
    return {};
}

Status XaGate::finish_group(const binlog::XaPrepareEvent& prepare,
                            const model::BinlogPosition& where) {
    capturing_ = false;
    if (!prepare.one_phase) return store_.keep_capture(prepare.xid);
    // XA COMMIT ... ONE PHASE (MySQL): committed by this very group.
    Status st =
        emit([&](const PreparedXaStore::EventSink& sink) { return store_.read_capture(sink); },
             "XA transaction " + prepare.xid.to_string() + " committed (one phase) at " +
                 where.to_string() + ": ");
    Status dropped = store_.drop_capture();
    if (!st) return st;
    return dropped;
}

Status XaGate::resolve(const binlog::XaStatement& statement, const model::BinlogPosition& end) {
    bool commit = statement.kind == binlog::XaStatementKind::Commit;
    auto group = store_.find(statement.xid, end);
    if (!group) return group.error();
    if (!*group) {
        // A rollback of a transaction we never saw prepared changes nothing in the output.
        if (!commit) return {};
        std::string what = "XA COMMIT " + statement.xid.to_string() + " ending at " +
                           end.to_string() + ": its XA PREPARE was not read";
        if (options_.fresh_start) {
            if (options_.warn) {
                options_.warn(what + "; it was prepared before " + *options_.fresh_start +
                              ", so the changes it made to the watched tables, if any, are not "
                              "in the output");
            }
            return {};
        }
        return make_error(Errc::DataLoss, what + ", so its changes cannot be emitted. " +
                                              options_.missing_prepare_hint);
    }
    if (commit) {
        const PreparedXa& g = **group;
        Status st =
            emit([&](const PreparedXaStore::EventSink& sink) { return store_.read(g, sink); },
                 "XA transaction " + g.xid.to_string() + " prepared at " +
                     g.prepared_at.to_string() + ", committed at " + end.to_string() + ": ");
        if (!st) return st;
    }
    return store_.resolve(**group, end);
}

Status XaGate::emit(const std::function<Status(const PreparedXaStore::EventSink&)>& read,
                    const std::string& what) {
    ChangeExtractor extractor(options_.decoder, options_.filter);
    extractor.require(options_.requirements);
    ChangesOnly changes(inner_);
    return read([&](Bytes event, uint64_t offset) -> Status {
        Status st = extractor.feed(event, offset, changes);
        if (!st) return st.error().with_context(what);
        if (options_.between_events) return options_.between_events();
        return {};
    });
}

}  // namespace cdc::stream
