#include "binlog/decoder.h"

namespace cdc::binlog {

struct BinlogDecoder::State {
    DecoderOptions options;
    FormatDescriptionEvent fde;
    DecoderStats stats;
    std::unordered_map<uint64_t, model::TableSchema> tables;
};

BinlogDecoder::BinlogDecoder(DecoderOptions options) : state_(std::make_unique<State>()) {
    state_->options = options;
}
BinlogDecoder::~BinlogDecoder() = default;
BinlogDecoder::BinlogDecoder(BinlogDecoder&&) noexcept = default;
BinlogDecoder& BinlogDecoder::operator=(BinlogDecoder&&) noexcept = default;

Result<Event> BinlogDecoder::decode(Bytes, uint64_t) {
    return make_error(Errc::Unsupported, "decoder not implemented yet");
}

Result<std::optional<Event>> BinlogDecoder::next_payload_event(const TransactionPayloadEvent&,
                                                               size_t&, uint64_t) {
    return make_error(Errc::Unsupported, "decoder not implemented yet");
}

const model::TableSchema* BinlogDecoder::table(uint64_t table_id) const {
    auto it = state_->tables.find(table_id);
    return it == state_->tables.end() ? nullptr : &it->second;
}

const FormatDescriptionEvent& BinlogDecoder::format() const { return state_->fde; }
const DecoderStats& BinlogDecoder::stats() const { return state_->stats; }

Result<EventHeader> parse_event_header(Bytes, uint64_t) {
    return make_error(Errc::Unsupported, "not implemented yet");
}

}  // namespace cdc::binlog
