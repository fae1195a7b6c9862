#include "app/decode_command.h"

#include <cstdio>
#include <filesystem>

#include "format/change_json.h"
#include "stream/binlog_file_reader.h"
#include "stream/change_extractor.h"
#include "stream/change_records.h"
#include "stream/xa_gate.h"
#include "stream/xa_memory_store.h"

namespace cdc::app {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

// Writes each change as one JSON line (the Debezium format: one per record, a primary-key
// change two), buffered.
class JsonLinesWriter final : public stream::ChangeConsumer {
public:
    JsonLinesWriter(format::EnvelopeOptions options, bool debezium)
        : options_(options),
          records_([&] {
              stream::RecordOptions o;
              o.format = stream::OutputFormat::Debezium;
              o.with_key = false;  // decode prints values only
              return o;
          }()),
          debezium_(debezium) {
        buffer_.reserve(kFlushBytes + 64 * 1024);
    }
    ~JsonLinesWriter() override { (void)flush(); }

    // The file being decoded: the Debezium source's "file".
    void set_file(std::string name) { file_ = std::move(name); }

    Status on_change(const model::ChangeEvent& change, uint64_t offset,
                     uint32_t row_index) override {
        if (!debezium_) {
            format::append_change_json(change, buffer_, options_);
            buffer_ += '\n';
        } else {
            // No transaction tracking here: pos is the rows event's offset, row its index.
            sink::OutputRecord position;
            position.binlog_file = file_;
            position.binlog_pos = offset;
            position.row_index = row_index;
            for (const sink::OutputRecord& record : records_.format(change, position)) {
                buffer_ += record.value;
                buffer_ += '\n';
            }
        }
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
    stream::ChangeRecords records_;
    bool debezium_;
    std::string file_;
    std::string buffer_;
};

Result<stream::TableFilter> make_filter(const std::vector<std::string>& tables) {
    stream::TableFilter filter;
    for (const std::string& t : tables) {
        size_t dot = t.find('.');
        if (dot == std::string::npos || dot == 0 || dot + 1 == t.size()) {
            return make_error(Errc::InvalidArgument,
                              "--table '" + t + "' must be SCHEMA.TABLE (or SCHEMA.*)");
        }
        filter.add({t.substr(0, dot), t.substr(dot + 1)});
    }
    return filter;
}

// An XA transaction's changes are written when it commits (xa_gate.h): `xa` sits between the
// extractor and `out`, and keeps prepared groups in `store` until their XA COMMIT.
Status decode_file(const std::string& path, stream::ChangeExtractor& extractor, stream::XaGate& xa,
                   stream::XaMemoryStore& store, JsonLinesWriter& out) {
    auto reader = stream::BinlogFileReader::open(path);
    if (!reader) return reader.error();
    std::string name = std::filesystem::path(path).filename().string();
    extractor.guard().set_file(name);
    out.set_file(name);
    while (true) {
        auto ev = reader->next();
        if (!ev) return ev.error();
        if (!ev->has_value()) return out.flush();
        Status st = extractor.feed((*ev)->bytes, (*ev)->offset, xa);
        if (st) st = xa.after_event((*ev)->bytes, name, (*ev)->offset);
        if (!st) return st.error().with_context(path + ": ");
        // Nothing is read twice: a resolved group is not needed any more.
        st = store.checkpoint_saved({name, (*ev)->offset + (*ev)->bytes.size()});
        if (!st) return st;
    }
}

void warn(const std::string& message) {
    std::fprintf(stderr, "mysql-cdc decode: warning: %s\n", message.c_str());
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
    stream::XaGate::Options xa_options;
    xa_options.decoder = decoder_options;
    xa_options.filter = *filter;
    xa_options.fresh_start = "the first file given";
    xa_options.warn = warn;
    stream::StatementGuardOptions guard;
    guard.warn_statements = options.warn_statements;
    guard.warn_incidents = options.warn_incidents;
    guard.warn = [](stream::GuardWarning, const std::string& message) { warn(message); };
    stream::ChangeExtractor extractor(decoder_options, std::move(*filter), std::move(guard));
    // Files from servers without binlog_row_metadata=FULL (every MySQL before 8.0.1) have no
    // column names: decode names their columns @1, @2, ... as mysqlbinlog does.
    xa_options.requirements = stream::RowRequirements{
        .full_images = !options.partial_images,
        .column_names = false,
        .hint =
            " (or run decode with --partial-images to print such rows without the "
            "missing columns)"};
    extractor.require(xa_options.requirements);
    if (options.debezium && options.column_numbers) {
        std::fprintf(stderr,
                     "mysql-cdc decode: --column-numbers applies to the seed format only\n");
        return 2;
    }
    JsonLinesWriter out(format::EnvelopeOptions{options.column_numbers}, options.debezium);
    stream::XaMemoryStore xa_store;
    stream::XaGate xa(out, xa_store, std::move(xa_options));

    for (const std::string& path : options.files) {
        Status st = decode_file(path, extractor, xa, xa_store, out);
        if (!st) {
            (void)out.flush();
            std::fprintf(stderr, "mysql-cdc decode: %s\n", st.error().message.c_str());
            return 1;
        }
    }
    if (auto waiting = xa_store.unresolved(); !waiting.empty()) {
        warn(std::to_string(waiting.size()) +
             " XA transaction(s) prepared in these files are not committed or rolled back in "
             "them, so their changes are not in the output (the first: " +
             waiting.front().xid.to_string() + " prepared at " +
             waiting.front().prepared_at.to_string() + ")");
    }
    if (extractor.unresolved_partial_json() > 0) {
        std::fprintf(stderr,
                     "mysql-cdc decode: warning: %llu partial JSON update(s) left out: the "
                     "before image does not carry the document they apply to "
                     "(binlog_row_image was not FULL)\n",
                     static_cast<unsigned long long>(extractor.unresolved_partial_json()));
    }
    if (extractor.guard().statements_skipped() > 0) {
        std::fprintf(stderr, "mysql-cdc decode: skipped %llu statement-based changes\n",
                     static_cast<unsigned long long>(extractor.guard().statements_skipped()));
    }
    const auto& stats = extractor.decoder().stats();
    if (stats.unknown_skipped > 0) {
        std::fprintf(stderr, "mysql-cdc decode: skipped %llu unknown events\n",
                     static_cast<unsigned long long>(stats.unknown_skipped));
    }
    return 0;
}

}  // namespace cdc::app
