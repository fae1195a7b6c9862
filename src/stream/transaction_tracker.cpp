#include "stream/transaction_tracker.h"

#include <strings.h>

#include <algorithm>
#include <variant>

#include "binlog/xa_statement.h"

namespace cdc::stream {
namespace {

constexpr uint16_t kLogEventArtificialFlag = 0x0020;

bool is_statement(const std::string& sql, const char* word) {
    size_t n = std::char_traits<char>::length(word);
    if (sql.size() < n || strncasecmp(sql.data(), word, n) != 0) return false;
    for (size_t i = n; i < sql.size(); ++i) {
        if (sql[i] != ' ' && sql[i] != ';' && sql[i] != '\n' && sql[i] != '\t') return false;
    }
    return true;
}

// MySQL's XA START X'..',X'..',n opens an XA transaction's group as BEGIN does.
bool is_xa_start(const std::string& sql) {
    auto xa = binlog::parse_xa_statement(sql);
    return xa && *xa && (**xa).kind == binlog::XaStatementKind::Start;
}

uint64_t event_start(const binlog::EventHeader& h) {
    return h.log_pos >= h.event_size ? h.log_pos - h.event_size : 0;
}

int64_t header_time_ms(const binlog::EventHeader& h) { return int64_t{h.timestamp} * 1000; }

// MySQL 8.0.1+ stamps the GTID event with the commit's microsecond; older servers only give
// the header's second.
int64_t gtid_commit_time_ms(const binlog::GtidEvent& g, const binlog::EventHeader& h) {
    if (g.immediate_commit_us == 0) return header_time_ms(h);
    return static_cast<int64_t>(g.immediate_commit_us / 1000);
}

}  // namespace

void TransactionTracker::reset(const model::Checkpoint& checkpoint) {
    file_ = checkpoint.position.file;
    pos_ = checkpoint.position.pos;
    skip_rows_ = checkpoint.skip_rows;
    gtid_ = checkpoint.gtid;
    // MariaDB's state ("0-1-42") or MySQL's set ("uuid:1-42"): each is unreadable as the
    // other. An unreadable text is dropped rather than kept stale while the position moves.
    auto state = model::MariaGtidState::parse(checkpoint.gtid_state);
    gtid_state_ = state ? std::move(*state) : model::MariaGtidState{};
    has_mysql_set_ = false;
    mysql_set_ = {};
    if (!state && !checkpoint.gtid_state.empty()) {
        if (auto set = model::GtidSet::parse(checkpoint.gtid_state)) {
            mysql_set_ = std::move(*set);
            has_mysql_set_ = true;
        }
    }
    trx_has_gtid_ = trx_gtid_pending_ = check_first_gtid_ = trx_mysql_pending_ = false;
    unexpected_start_.clear();
    in_trx_ = begun_by_gtid_ = saw_begin_ = standalone_ = end_pending_ = false;
    trx_start_ = pos_;
    row_index_ = 0;
    commit_time_ms_ = 0;
}

void TransactionTracker::begin(uint64_t start, int64_t commit_time_ms) {
    in_trx_ = true;
    trx_start_ = start;
    row_index_ = 0;
    end_pending_ = false;
    commit_time_ms_ = commit_time_ms;
}

void TransactionTracker::on_event(const binlog::Event& event, bool top_level) {
    const binlog::EventHeader& h = event.header;
    const auto& body = event.body;
    if (const auto* rotate = std::get_if<binlog::RotateEvent>(&body)) {
        if (!top_level) return;
        file_ = rotate->next_file;
        if (next_source_server_id_ != 0) {
            source_server_id_ = next_source_server_id_;
            next_source_server_id_ = 0;
        }
        if (!in_trx_) pos_ = rotate->position;
        return;
    }
    if (std::holds_alternative<binlog::MariaGtidEvent>(body) ||
        std::holds_alternative<binlog::GtidEvent>(body)) {
        begun_by_gtid_ = true;
        saw_begin_ = false;
        if (const auto* g = std::get_if<binlog::MariaGtidEvent>(&body)) {
            // MariaDB writes the GTID event at the commit, with the committing statement's time.
            begin(event_start(h), header_time_ms(h));
            // A MariaDB GTID stands for BEGIN unless the statement is standalone (DDL).
            standalone_ = g->standalone();
            saw_begin_ = !standalone_;
            gtid_ = g->to_string(h.server_id);
            trx_gtid_ = {g->domain_id, h.server_id, g->seq_no};
            trx_has_gtid_ = trx_gtid_pending_ = true;
            if (check_first_gtid_) {
                check_first_gtid_ = false;
                if (gtid_state_.contains(g->domain_id, g->seq_no)) {
                    unexpected_start_ = "the server sent transaction " + gtid_ +
                                        " first, which the saved GTID state " +
                                        gtid_state_.to_string() + " already holds";
                }
            }
        } else {
            const auto& mysql_gtid = std::get<binlog::GtidEvent>(body);
            begin(event_start(h), gtid_commit_time_ms(mysql_gtid, h));
            standalone_ = false;
            gtid_ = mysql_gtid.to_string();
            trx_has_gtid_ = trx_gtid_pending_ = false;
            if (!mysql_gtid.anonymous && has_mysql_set_) {
                trx_sid_ = mysql_gtid.sid;
                trx_tag_ = mysql_gtid.tag;
                trx_gno_ = mysql_gtid.gno;
                trx_mysql_pending_ = true;
                if (check_first_gtid_) {
                    check_first_gtid_ = false;
                    if (mysql_set_.contains(trx_sid_, trx_tag_, trx_gno_)) {
                        unexpected_start_ = "the server sent transaction " + gtid_ +
                                            " first, which the saved GTID set already holds";
                    }
                }
            }
        }
        return;
    }
    if (const auto* q = std::get_if<binlog::QueryEvent>(&body)) {
        if (is_statement(q->sql, "BEGIN") || is_xa_start(q->sql)) {
            if (!in_trx_) begin(event_start(h), header_time_ms(h));
            saw_begin_ = true;
            return;
        }
        if (is_statement(q->sql, "COMMIT") || is_statement(q->sql, "ROLLBACK")) {
            end_after_event();
            return;
        }
        // Any other statement outside BEGIN ... COMMIT is a transaction by itself (DDL).
        if (!saw_begin_) {
            if (!in_trx_) begin(event_start(h), header_time_ms(h));
            end_after_event();
        }
        return;
    }
    // XA_PREPARE ends the group of an XA PREPARE (its XA COMMIT is a group of its own) or of
    // an XA COMMIT ... ONE PHASE (MySQL).
    if (std::holds_alternative<binlog::XidEvent>(body) ||
        std::holds_alternative<binlog::XaPrepareEvent>(body)) {
        end_after_event();
        return;
    }
    if (std::holds_alternative<binlog::RowsEvent>(body) && !in_trx_ && top_level) {
        // Rows outside any BEGIN (possible from non-transactional writes on old servers):
        // treat the statement as its own transaction, ending at its STMT_END row event.
        begin(event_start(h), header_time_ms(h));
    }
    if (const auto* rows = std::get_if<binlog::RowsEvent>(&body)) {
        if (!saw_begin_ && !begun_by_gtid_ && rows->end_of_statement()) end_after_event();
    }
}

void TransactionTracker::finish_event(const binlog::EventHeader& header) {
    bool artificial = (header.flags & kLogEventArtificialFlag) != 0 || header.log_pos == 0;
    if (end_pending_) {
        if (!artificial) pos_ = header.log_pos;
        if (trx_gtid_pending_) {
            gtid_state_.add(trx_gtid_);
            trx_gtid_pending_ = false;
        }
        if (trx_mysql_pending_) {
            mysql_set_.add(trx_sid_, trx_tag_, trx_gno_);
            trx_mysql_pending_ = false;
        }
        in_trx_ = begun_by_gtid_ = saw_begin_ = standalone_ = end_pending_ = false;
        row_index_ = 0;
        skip_rows_ = 0;  // the resumed transaction is complete
        return;
    }
    if (!in_trx_ && !artificial && header.type != static_cast<uint8_t>(binlog::EventType::Rotate)) {
        pos_ = header.log_pos;
    }
}

model::Checkpoint TransactionTracker::checkpoint() const {
    model::Checkpoint cp;
    cp.position.file = file_;
    cp.gtid = gtid_;
    cp.gtid_state = has_mysql_set_ ? mysql_set_.to_string() : gtid_state_.to_string();
    cp.server_id = source_server_id_;
    // Until the resumed transaction is over, its skip_rows still stands: a checkpoint taken
    // before its first event, or while its delivered changes are being skipped, must not
    // forget them.
    if (in_trx_) {
        cp.position.pos = trx_start_;
        cp.skip_rows = std::max(row_index_, skip_rows_);
    } else {
        cp.position.pos = pos_;
        cp.skip_rows = skip_rows_;
    }
    return cp;
}

}  // namespace cdc::stream
