// GtidSet: MySQL's set of executed transactions (gtid_executed, a replica's auto-position).
//
// A MySQL GTID is source:number, where the source is the server's UUID and, since 8.3, an
// optional tag. A set keeps, per source, the numbers as sorted, disjoint, non-adjacent
// intervals. The text form is MySQL's:
//   "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7,3e11fa47-...:mytag:1-2"
// (UUID in lower case; after a UUID, an element that starts with a digit is an interval of the
// current tag, another element names a tag). The binary form is what PREVIOUS_GTIDS and
// COM_BINLOG_DUMP_GTID carry (MySQL's Gtid_set::encode): see encode().
//
// The daemon resumes from MySQL by sending the set of everything it has delivered; it adds one
// GTID per transaction, almost always one past the last interval, so add() is O(1) then.
//
//   auto set = GtidSet::parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
//   set->add(uuid, "", 6);        // now :1-6
//   set->to_string();
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cdc::model {

class GtidSet {
public:
    using Uuid = std::array<uint8_t, 16>;
    struct Interval {
        int64_t first = 0;  // closed [first, last], as MySQL prints them
        int64_t last = 0;
        friend bool operator==(const Interval&, const Interval&) = default;
    };
    // One source: a UUID and a tag ("" untagged), with its numbers.
    struct Source {
        Uuid uuid{};
        std::string tag;
        std::vector<Interval> intervals;  // sorted, disjoint, not adjacent
        friend bool operator==(const Source&, const Source&) = default;
    };

    // MySQL's text form; spaces and newlines are ignored (@@gtid_executed breaks long sets
    // into lines). The empty string is the empty set. Tags are folded to lower case.
    static Result<GtidSet> parse(std::string_view text);
    // "uuid" with dashes, as MySQL prints it (any case).
    static Result<Uuid> parse_uuid(std::string_view text);

    // Adds one transaction; gno >= 1.
    void add(const Uuid& uuid, std::string_view tag, int64_t gno);
    // Adds every transaction of `other`.
    void add(const GtidSet& other);
    bool contains(const Uuid& uuid, std::string_view tag, int64_t gno) const;
    // Every transaction of `other` is in this set.
    bool contains(const GtidSet& other) const;
    // The transactions of this set that `other` does not have.
    GtidSet minus(const GtidSet& other) const;

    bool empty() const { return sources_.empty(); }
    const std::vector<Source>& sources() const { return sources_; }
    // MySQL's text form, sources ordered by UUID then tag ("" first).
    std::string to_string() const;
    // MySQL's binary form (Gtid_set::encode): without tags, an 8-byte source count, then per
    // source its 16-byte UUID, an 8-byte interval count and each interval as two 8-byte
    // numbers [first, last + 1). With a tag anywhere (8.3+), the count word is format byte 1,
    // 6 count bytes, format byte 1, and each UUID is followed by its tag (a length-prefixed
    // string of MySQL's serialization format). All integers little-endian.
    std::string encode() const;

    friend bool operator==(const GtidSet&, const GtidSet&) = default;

private:
    Source& source(const Uuid& uuid, std::string_view tag);
    const Source* find(const Uuid& uuid, std::string_view tag) const;
    static void add_interval(Source& s, Interval iv);

    std::vector<Source> sources_;  // ordered by (uuid, tag)
};

std::string format_uuid(const GtidSet::Uuid& uuid);

}  // namespace cdc::model
