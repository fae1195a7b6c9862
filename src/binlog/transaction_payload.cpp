// TRANSACTION_PAYLOAD (MySQL binlog_transaction_compression=ON): a whole transaction's events,
// compressed. The body starts with (type, length, value) fields, each a packed integer:
// 1 = compressed size, 2 = compression type (0 zstd, 255 none), 3 = uncompressed size;
// type 0 ends the header and the compressed bytes follow. The inner events carry no checksum.
#include <zstd.h>

#include <algorithm>

#include "binlog/event_context.h"

namespace cdc::binlog {

namespace {

constexpr uint64_t kFieldEnd = 0;
constexpr uint64_t kFieldPayloadSize = 1;
constexpr uint64_t kFieldCompressionType = 2;
constexpr uint64_t kFieldUncompressedSize = 3;
constexpr uint64_t kCompressionZstd = 0;
constexpr uint64_t kCompressionNone = 255;
// A larger declared size is corrupt input (MySQL refuses to compress transactions this big).
constexpr uint64_t kMaxUncompressedSize = uint64_t{4} << 30;
// The output buffer starts near the compressed size and doubles as zstd fills it, so memory
// follows what the data really inflates to, not what a (possibly corrupt) header declares.
constexpr size_t kMinFirstChunk = size_t{64} << 10;
constexpr size_t kFirstChunkRatio = 8;

struct PayloadHeader {
    uint64_t payload_size = 0;
    uint64_t compression = kCompressionNone;
    uint64_t uncompressed_size = 0;
    bool have_size = false;
    bool have_compression = false;
};

Result<PayloadHeader> read_header(const EventContext& ctx, ByteReader& r) {
    PayloadHeader h;
    while (true) {
        uint64_t type = r.read_packed_int();
        if (!r.ok()) return ctx.error(r);
        if (type == kFieldEnd) break;
        uint64_t length = r.read_packed_int();
        if (!r.ok()) return ctx.error(r);
        switch (type) {
            case kFieldPayloadSize:
                h.payload_size = r.read_packed_int();
                h.have_size = true;
                break;
            case kFieldCompressionType:
                h.compression = r.read_packed_int();
                h.have_compression = true;
                break;
            case kFieldUncompressedSize: h.uncompressed_size = r.read_packed_int(); break;
            default: r.skip(static_cast<size_t>(std::min<uint64_t>(length, r.remaining() + 1)));
        }
        if (!r.ok()) return ctx.error(r);
    }
    if (!h.have_size || !h.have_compression) {
        return ctx.error(Errc::Malformed, "header lacks the payload size or compression type");
    }
    if (h.payload_size > r.remaining()) {
        return ctx.error(Errc::Truncated, "payload of " + std::to_string(h.payload_size) +
                                              " bytes, " + std::to_string(r.remaining()) + " left");
    }
    return h;
}

// Inflates one zstd frame, never writing more than `limit` bytes.
Result<std::vector<uint8_t>> inflate_zstd(const EventContext& ctx, Bytes in, uint64_t limit) {
    std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> dctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
    if (!dctx) return ctx.error(Errc::Internal, "cannot create a zstd context");
    const uint64_t first =
        std::max<uint64_t>(kMinFirstChunk, uint64_t{in.size()} * kFirstChunkRatio);
    std::vector<uint8_t> out(static_cast<size_t>(std::min<uint64_t>(limit, first)));
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    ZSTD_outBuffer output{out.data(), out.size(), 0};
    size_t rc = 1;
    while (rc != 0) {
        if (output.pos == output.size) {
            if (out.size() >= limit) {
                return ctx.error(Errc::Malformed, "zstd data inflates to more than the declared " +
                                                      std::to_string(limit) + " bytes");
            }
            out.resize(static_cast<size_t>(std::min<uint64_t>(limit, out.size() * 2)));
            output.dst = out.data();
            output.size = out.size();
        }
        rc = ZSTD_decompressStream(dctx.get(), &output, &input);
        if (ZSTD_isError(rc) != 0) {
            return ctx.error(Errc::Malformed, std::string("zstd: ") + ZSTD_getErrorName(rc));
        }
        if (rc != 0 && input.pos == input.size && output.pos < output.size) {
            return ctx.error(Errc::Truncated, "zstd frame ends early");
        }
    }
    out.resize(output.pos);
    return out;
}

}  // namespace

Result<TransactionPayloadEvent> parse_transaction_payload(
    const EventContext& ctx, Bytes body, std::unique_ptr<std::vector<uint8_t>>& owned) {
    ByteReader r = ctx.body_reader(body);
    Result<PayloadHeader> h = read_header(ctx, r);
    if (!h) return h.error();
    Bytes payload = r.read_bytes(static_cast<size_t>(h->payload_size));
    TransactionPayloadEvent ev;
    if (h->compression == kCompressionNone) {
        owned = std::make_unique<std::vector<uint8_t>>(payload.begin(), payload.end());
    } else if (h->compression == kCompressionZstd) {
        uint64_t limit = h->uncompressed_size != 0 ? h->uncompressed_size : kMaxUncompressedSize;
        if (limit > kMaxUncompressedSize) {
            return ctx.error(Errc::Malformed,
                             "declared uncompressed size " + std::to_string(limit));
        }
        Result<std::vector<uint8_t>> inflated = inflate_zstd(ctx, payload, limit);
        if (!inflated) return inflated.error();
        owned = std::make_unique<std::vector<uint8_t>>(std::move(*inflated));
    } else {
        return ctx.error(Errc::Unsupported, "compression type " + std::to_string(h->compression));
    }
    ev.uncompressed_size = owned->size();
    ev.events = Bytes(*owned);
    return ev;
}

}  // namespace cdc::binlog
