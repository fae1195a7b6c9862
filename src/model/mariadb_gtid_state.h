// MariaDB's GTID state: per replication domain, the last transaction (domain-server-seq), as
// @@gtid_binlog_pos and @slave_connect_state write it ("0-1-42,1-2-7"). With
// gtid_strict_mode a domain's sequence numbers only grow, so the state names exactly the
// transactions before a point of the binlog on every server of the topology, whatever their
// file names: what a checkpoint needs to resume on a promoted replica.
//
// A small vector of domains (a topology has one or a few): add() is one short scan, no
// allocation once a domain is known; it runs once per transaction, not per change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cdc::model {

struct MariaGtid {
    uint32_t domain = 0;
    uint32_t server = 0;
    uint64_t seq = 0;

    std::string to_string() const;  // "domain-server-seq"
    friend bool operator==(const MariaGtid&, const MariaGtid&) = default;
};

class MariaGtidState {
public:
    // "0-1-42,1-2-7" (spaces tolerated; empty = no domain). nullopt when not in that form or
    // when a domain appears twice.
    static std::optional<MariaGtidState> parse(std::string_view text);

    // The domain's last transaction becomes `gtid`.
    void add(const MariaGtid& gtid);
    // Whether the transaction with this domain and seq is at or before the state (a domain
    // the state lacks holds nothing).
    bool contains(uint32_t domain, uint64_t seq) const;
    // The domain's last GTID, or nullptr.
    const MariaGtid* find(uint32_t domain) const;
    // Every domain of `other` is in this state with a seq at least as high: this server has
    // (at least) every transaction `other` names.
    bool covers(const MariaGtidState& other) const;

    bool empty() const { return domains_.empty(); }
    const std::vector<MariaGtid>& domains() const { return domains_; }
    // Sorted by domain, comma-separated: the form MariaDB prints and takes.
    std::string to_string() const;

    friend bool operator==(const MariaGtidState&, const MariaGtidState&) = default;

private:
    std::vector<MariaGtid> domains_;  // sorted by domain
};

}  // namespace cdc::model
