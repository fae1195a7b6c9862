// MYSQL_HOST as a list: "db1,db2:3307,[::1]:3308", tried in order (failover). Each entry is a
// host (port MYSQL_PORT) or host:port, an IPv6 address in brackets when it has a port. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cdc::config {

struct HostPort {
    std::string host;
    std::uint16_t port = 3306;

    std::string to_string() const;  // "host:port" ("[v6]:port")
    friend bool operator==(const HostPort&, const HostPort&) = default;
};

// One entry; the error (a string) says what is wrong with it.
std::variant<HostPort, std::string> parse_host_port(std::string_view text,
                                                    std::uint16_t default_port);
// The comma-separated list (spaces around entries ignored); an error names the bad entry.
// A host given twice is an error too (it would be tried twice in a row).
std::variant<std::vector<HostPort>, std::string> parse_host_list(std::string_view text,
                                                                 std::uint16_t default_port);

}  // namespace cdc::config
