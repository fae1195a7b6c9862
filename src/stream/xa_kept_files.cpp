#include "stream/xa_kept_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "binlog/decoder.h"

namespace cdc::stream::xa_files {
namespace {

constexpr char kPreparedPrefix[] = "prepared@";
constexpr char kResolvedPrefix[] = "resolved@";
constexpr char kSuffix[] = ".binlog";

bool plain_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

std::string escape(const std::string& s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : s) {
        if (plain_char(c)) {
            out += c;
            continue;
        }
        auto b = static_cast<uint8_t>(c);
        out += '%';
        out += kHex[b >> 4];
        out += kHex[b & 0x0f];
    }
    return out;
}

std::optional<std::string> unescape(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            if (!plain_char(s[i])) return std::nullopt;
            out += s[i];
            continue;
        }
        if (i + 2 >= s.size()) return std::nullopt;
        unsigned v = 0;
        for (size_t k = 1; k <= 2; ++k) {
            char c = s[i + k];
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= static_cast<unsigned>(c - '0');
            else if (c >= 'A' && c <= 'F')
                v |= static_cast<unsigned>(c - 'A' + 10);
            else
                return std::nullopt;
        }
        out += static_cast<char>(v);
        i += 2;
    }
    return out;
}

std::string position_part(const model::BinlogPosition& p) {
    return escape(p.file) + "@" + std::to_string(p.pos);
}

// "mysql-bin.000001@1180" (escaped file, '@', decimal position).
std::optional<model::BinlogPosition> parse_position(std::string_view s) {
    size_t at = s.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == s.size()) return std::nullopt;
    auto file = unescape(s.substr(0, at));
    if (!file) return std::nullopt;
    uint64_t pos = 0;
    for (char c : s.substr(at + 1)) {
        if (c < '0' || c > '9' || pos > (UINT64_MAX - 9) / 10) return std::nullopt;
        pos = pos * 10 + static_cast<uint64_t>(c - '0');
    }
    return model::BinlogPosition{std::move(*file), pos};
}

Status read_exact(int fd, uint64_t offset, size_t n, std::vector<uint8_t>& out,
                  const std::string& path) {
    out.resize(n);
    size_t done = 0;
    while (done < n) {
        ssize_t got = ::pread(fd, out.data() + done, n - done, static_cast<off_t>(offset + done));
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return io_error("cannot read", path);
        if (got == 0) {
            return make_error(Errc::Truncated,
                              path + ": ends inside the event at offset " + std::to_string(offset));
        }
        done += static_cast<size_t>(got);
    }
    return {};
}

}  // namespace

Error io_error(const std::string& what, const std::string& path) {
    return make_error(Errc::Unavailable, what + " " + path + ": " + std::strerror(errno));
}

std::string prepared_name(const model::BinlogPosition& at) {
    return kPreparedPrefix + position_part(at) + kSuffix;
}

std::string resolved_name(const model::BinlogPosition& at, const model::BinlogPosition& end) {
    return kResolvedPrefix + position_part(at) + "@" + position_part(end) + kSuffix;
}

// A kept file's name: its group's start and, when resolved, the resolution's end.
std::optional<PreparedXa> parse_name(std::string_view name) {
    if (name.size() <= std::strlen(kSuffix) || !name.ends_with(kSuffix)) return std::nullopt;
    name.remove_suffix(std::strlen(kSuffix));
    PreparedXa info;
    if (name.starts_with(kPreparedPrefix)) {
        auto at = parse_position(name.substr(std::strlen(kPreparedPrefix)));
        if (!at) return std::nullopt;
        info.prepared_at = std::move(*at);
        return info;
    }
    if (!name.starts_with(kResolvedPrefix)) return std::nullopt;
    name.remove_prefix(std::strlen(kResolvedPrefix));
    // Escaped names have no '@': the second position starts after the first one's number.
    size_t first = name.find('@');
    size_t second = first == std::string_view::npos ? first : name.find('@', first + 1);
    if (second == std::string_view::npos) return std::nullopt;
    auto at = parse_position(name.substr(0, second));
    auto end = parse_position(name.substr(second + 1));
    if (!at || !end) return std::nullopt;
    info.prepared_at = std::move(*at);
    info.resolved_at = std::move(*end);
    return info;
}

Result<binlog::Xid> read_xid(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return io_error("cannot open", path);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        ::close(fd);
        return io_error("cannot stat", path);
    }
    auto size = static_cast<uint64_t>(st.st_size);
    std::vector<uint8_t> fde;
    std::vector<uint8_t> last;
    Status status = [&]() -> Status {
        std::vector<uint8_t> header;
        Status s = read_exact(fd, 0, 4, header, path);
        if (!s) return s;
        if (std::memcmp(header.data(), kBinlogMagic, 4) != 0) {
            return make_error(Errc::Malformed, path + ": not a binlog file");
        }
        uint64_t offset = 4;
        uint64_t last_offset = 0;
        uint32_t last_size = 0;
        while (offset < size) {
            s = read_exact(fd, offset, binlog::kEventHeaderSize, header, path);
            if (!s) return s;
            auto parsed = binlog::parse_event_header(header, offset);
            if (!parsed) return parsed.error().with_context(path + ": ");
            if (parsed->event_size < binlog::kEventHeaderSize ||
                parsed->event_size > size - offset) {
                return make_error(Errc::Malformed,
                                  path + ": the event at offset " + std::to_string(offset) +
                                      " claims " + std::to_string(parsed->event_size) + " bytes");
            }
            if (offset == 4) {
                s = read_exact(fd, offset, parsed->event_size, fde, path);
                if (!s) return s;
            }
            last_offset = offset;
            last_size = parsed->event_size;
            offset += parsed->event_size;
        }
        if (last_offset <= 4) return make_error(Errc::Malformed, path + ": no XA_PREPARE event");
        return read_exact(fd, last_offset, last_size, last, path);
    }();
    ::close(fd);
    if (!status) return status.error();
    binlog::BinlogDecoder decoder;
    auto fd_event = decoder.decode(fde, 4);
    if (!fd_event) return fd_event.error().with_context(path + ": ");
    auto prepare = decoder.decode(last, 0);
    if (!prepare) return prepare.error().with_context(path + ": ");
    const auto* xa = std::get_if<binlog::XaPrepareEvent>(&prepare->body);
    if (xa == nullptr) {
        return make_error(Errc::Malformed, path + ": its last event is not an XA_PREPARE");
    }
    return xa->xid;
}

}  // namespace cdc::stream::xa_files
