#include "config/host_list.h"

#include <algorithm>

namespace cdc::config {

std::string HostPort::to_string() const {
    bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::variant<HostPort, std::string> parse_host_port(std::string_view text,
                                                    std::uint16_t default_port) {
    HostPort out{std::string(text), default_port};
    size_t colon = text.rfind(':');
    bool bracketed = !text.empty() && text.front() == '[';
    bool has_port = colon != std::string_view::npos &&
                    (bracketed ? colon > 0 && text[colon - 1] == ']'
                               : text.find(':') == colon);  // a bare IPv6 address has several
    if (!has_port) {
        if (bracketed && text.back() == ']')
            out.host = std::string(text.substr(1, text.size() - 2));
    } else {
        std::string_view port = text.substr(colon + 1);
        bool digits =
            !port.empty() && port.size() <= 5 &&
            std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
        unsigned long value = digits ? std::stoul(std::string(port)) : 0;
        if (value == 0 || value > 65535) {
            return "\"" + std::string(text) + "\" has an invalid port (1-65535)";
        }
        out.host = std::string(bracketed ? text.substr(1, colon - 2) : text.substr(0, colon));
        out.port = static_cast<std::uint16_t>(value);
    }
    if (out.host.empty()) return "\"" + std::string(text) + "\" has no host";
    return out;
}

std::variant<std::vector<HostPort>, std::string> parse_host_list(std::string_view text,
                                                                 std::uint16_t default_port) {
    std::vector<HostPort> hosts;
    while (true) {
        size_t comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item.empty()) return std::string("has an empty entry");
        auto one = parse_host_port(item, default_port);
        if (auto* error = std::get_if<std::string>(&one)) return *error;
        HostPort& hp = std::get<HostPort>(one);
        if (std::find(hosts.begin(), hosts.end(), hp) != hosts.end()) {
            return "lists " + hp.to_string() + " twice";
        }
        hosts.push_back(std::move(hp));
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return hosts;
}

}  // namespace cdc::config
