#include "mysql/binlog_dump_gtid.h"

#include <limits>

namespace cdc::mysql {
namespace {

constexpr uint64_t kBinlogHeaderSize = 4;  // the magic bytes every binlog file starts with

void put_le(std::string& out, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

Result<std::string> binlog_dump_gtid_payload(uint32_t server_id, const model::GtidSet& executed,
                                             uint16_t flags) {
    std::string data = executed.encode();
    if (data.size() > std::numeric_limits<uint32_t>::max()) {
        return make_error(Errc::Unsupported, "the GTID set to resume from is " +
                                                 std::to_string(data.size()) +
                                                 " bytes encoded, more than COM_BINLOG_DUMP_GTID "
                                                 "can carry");
    }
    std::string out;
    put_le(out, flags | kDumpThroughGtid, 2);
    put_le(out, server_id, 4);
    put_le(out, 0, 4);  // no file name: the server finds the file from the set
    put_le(out, kBinlogHeaderSize, 8);
    put_le(out, data.size(), 4);
    out += data;
    return out;
}

}  // namespace cdc::mysql
