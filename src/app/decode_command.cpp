#include "app/decode_command.h"

#include <cstdio>

#include "app/binlog_file_reader.h"
#include "app/change_extractor.h"
#include "format/change_json.h"

namespace cdc::app {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

// Writes each change as one JSON line, buffered.
class JsonLinesWriter final : public ChangeConsumer {
public:
    explicit JsonLinesWriter(format::EnvelopeOptions options) : options_(options) {
        buffer_.reserve(kFlushBytes + 64 * 1024);
    }
    ~JsonLinesWriter() override { (void)flush(); }

    Status on_change(const model::ChangeEvent& change, uint64_t, uint32_t) override {
        format::append_change_json(change, buffer_, options_);
        buffer_ += '\n';
        if (buffer_.size() >= kFlushBytes) return flush();
        return {};
    }

    Status flush() {
        if (buffer_.empty()) return {};
        size_t written = std::fwrite(buffer_.data(), 1, buffer_.size(), stdout);
        bool ok = written == buffer_.size() && std::fflush(stdout) == 0;
        buffer_.clear();
        if (!ok) return make_error(Errc::Unavailable, "cannot write to standard output");
        return {};
    }

private:
    format::EnvelopeOptions options_;
    std::string buffer_;
};

Result<TableFilter> make_filter(const std::vector<std::string>& tables) {
    TableFilter filter;
    for (const std::string& t : tables) {
        size_t dot = t.find('.');
        if (dot == std::string::npos || dot == 0 || dot + 1 == t.size()) {
            return make_error(Errc::InvalidArgument,
                              "--table '" + t + "' must be SCHEMA.TABLE (or SCHEMA.*)");
        }
        filter.add(t.substr(0, dot), t.substr(dot + 1));
    }
    return filter;
}

Status decode_file(const std::string& path, ChangeExtractor& extractor, JsonLinesWriter& out) {
    auto reader = BinlogFileReader::open(path);
    if (!reader) return reader.error();
    while (true) {
        auto ev = reader->next();
        if (!ev) return ev.error();
        if (!ev->has_value()) return out.flush();
        Status st = extractor.feed((*ev)->bytes, (*ev)->offset, out);
        if (!st) return st.error().with_context(path + ": ");
    }
}

}  // namespace

int run_decode(const DecodeOptions& options) {
    auto filter = make_filter(options.tables);
    if (!filter) {
        std::fprintf(stderr, "mysql-cdc decode: %s\n", filter.error().message.c_str());
        return 2;
    }
    binlog::DecoderOptions decoder_options;
    decoder_options.skip_unknown_events = options.skip_unknown_events;
    decoder_options.verify_checksums = options.verify_checksums;
    // A partial JSON diff whose document is not in the before image is a partial image too.
    decoder_options.partial_json_without_before_as_absent = options.partial_images;
    ChangeExtractor extractor(decoder_options, std::move(*filter));
    // Files from servers without binlog_row_metadata=FULL (every MySQL before 8.0.1) have no
    // column names: decode names their columns @1, @2, ... as mysqlbinlog does.
    extractor.require(RowRequirements{
        .full_images = !options.partial_images,
        .column_names = false,
        .hint = " (or run decode with --partial-images to print such rows without the "
                "missing columns)"});
    JsonLinesWriter out(format::EnvelopeOptions{options.column_numbers});

    for (const std::string& path : options.files) {
        Status st = decode_file(path, extractor, out);
        if (!st) {
            (void)out.flush();
            std::fprintf(stderr, "mysql-cdc decode: %s\n", st.error().message.c_str());
            return 1;
        }
    }
    if (extractor.unresolved_partial_json() > 0) {
        std::fprintf(stderr,
                     "mysql-cdc decode: warning: %llu partial JSON update(s) left out: the "
                     "before image does not carry the document they apply to "
                     "(binlog_row_image was not FULL)\n",
                     static_cast<unsigned long long>(extractor.unresolved_partial_json()));
    }
    const auto& stats = extractor.decoder().stats();
    if (stats.unknown_skipped > 0) {
        std::fprintf(stderr, "mysql-cdc decode: skipped %llu unknown events\n",
                     static_cast<unsigned long long>(stats.unknown_skipped));
    }
    return 0;
}

}  // namespace cdc::app
