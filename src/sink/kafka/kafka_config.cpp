#include "sink/kafka/kafka_config.h"

#include <array>
#include <charconv>
#include <fstream>
#include <sstream>

namespace cdc::sink {
namespace {

constexpr std::string_view kOurPrefix = "mysql-cdc.";

// Throughput over latency within the flush interval: batches of up to 1 MB, 10 ms linger. The
// queue bounds memory: when it is full, write() blocks the binlog reader. The reader decodes
// faster than the producer sends, so the queue runs full in every catch-up, not only in
// outages; librdkafka counts only key and value against max.kbytes, not its ~300 bytes per
// message (and the headers), so 16 MB and 50,000 messages hold the daemon under 128 MB where
// 64 MB and 500,000 reached 257 MB. A smaller queue did not cost throughput: 10 ms of linger at
// 500k changes/s is 5,000 messages (docs/MEMORY.md, "Kafka's producer queue").
// message.timeout.ms=0 means never give up on a message: an outage waits, it does not drop.
const std::vector<KafkaProperty>& producer_defaults() {
    static const std::vector<KafkaProperty> defaults = {
        {"client.id", "mysql-cdc"},
        {"linger.ms", "10"},
        {"batch.size", "1000000"},
        {"batch.num.messages", "100000"},
        {"queue.buffering.max.kbytes", "16384"},
        {"queue.buffering.max.messages", "50000"},
        {"message.timeout.ms", "0"},
        {"socket.keepalive.enable", "true"},
        {"reconnect.backoff.max.ms", "1000"},
    };
    return defaults;
}

const std::vector<KafkaProperty>& fixed_properties() {
    static const std::vector<KafkaProperty> fixed = {
        {"enable.idempotence", "true"},
        {"acks", "all"},
        {"enable.gapless.guarantee", "true"},
    };
    return fixed;
}

// What the resume reader takes from the file: how to reach and authenticate to the brokers.
bool is_connection_property(std::string_view key) {
    static constexpr std::array<std::string_view, 12> prefixes = {
        "security.", "sasl.",   "ssl.",        "ssl_",    "enable.ssl", "enable.sasl",
        "socket.",   "broker.", "api.version", "client.", "reconnect.", "debug"};
    for (auto p : prefixes) {
        if (key.starts_with(p)) return true;
    }
    return key == "bootstrap.servers" || key == "metadata.broker.list";
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

template <class Int>
Status parse_own(const KafkaProperty& p, const std::string& source, Int min, Int& out) {
    Int v{};
    auto [end, ec] = std::from_chars(p.value.data(), p.value.data() + p.value.size(), v);
    if (ec != std::errc{} || end != p.value.data() + p.value.size() || v < min) {
        return make_error(
            Errc::InvalidArgument,
            source + ": " + p.key + ": expected an integer >= " + std::to_string(min));
    }
    out = v;
    return {};
}

Status apply_own_property(const KafkaProperty& p, const std::string& source, KafkaSettings& s) {
    if (p.key == "mysql-cdc.topic.partitions") {
        return parse_own<int32_t>(p, source, 1, s.topic_partitions);
    }
    if (p.key == "mysql-cdc.topic.replication.factor") {
        return parse_own<int16_t>(p, source, 1, s.topic_replication);
    }
    if (p.key == "mysql-cdc.connect.timeout.ms") {
        int64_t ms = 0;
        Status st = parse_own<int64_t>(p, source, 1, ms);
        s.connect_timeout = std::chrono::milliseconds(ms);
        return st;
    }
    return make_error(Errc::InvalidArgument,
                      source + ": unknown setting " + p.key +
                          " (ours are mysql-cdc.topic.partitions, "
                          "mysql-cdc.topic.replication.factor, mysql-cdc.connect.timeout.ms)");
}

// The file may restate a fixed property but not weaken it.
Status check_not_weakened(const KafkaProperty& p, const std::string& source) {
    if (p.key == "transactional.id") {
        return make_error(Errc::Unsupported,
                          source +
                              ": transactional.id is not supported: mysql-cdc's exactly-once "
                              "uses the idempotent producer and position headers instead");
    }
    for (const auto& f : fixed_properties()) {
        if (p.key != f.key) continue;
        bool same = p.value == f.value || (p.key == "acks" && p.value == "-1");
        if (!same) {
            return make_error(Errc::InvalidArgument, source + ": " + p.key +
                                                         " may not be changed: exactly-once "
                                                         "delivery needs " +
                                                         f.key + "=" + f.value);
        }
    }
    return {};
}

// librdkafka's reason, which may quote the value (`Invalid value "x" for ...`): a mistyped
// key of a secret (sasl.pasword=...) is no secret property to us, so no value from the file is
// ever shown. When the value still shows after taking out its quoted form, the reason is left
// out.
std::string without_value(std::string reason, const std::string& value) {
    if (value.empty()) return reason;
    const std::string quoted = "\"" + value + "\"";
    for (size_t at = reason.find(quoted); at != std::string::npos; at = reason.find(quoted, at)) {
        reason.replace(at, quoted.size(), "(value not shown)");
    }
    if (reason.find(value) != std::string::npos) return "invalid (value not shown)";
    return reason;
}

}  // namespace

Result<std::vector<KafkaProperty>> parse_kafka_properties(std::string_view text,
                                                          const std::string& source) {
    std::vector<KafkaProperty> out;
    size_t line_no = 0;
    while (!text.empty()) {
        size_t nl = text.find('\n');
        std::string_view line = trim(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++line_no;
        if (line.empty() || line.front() == '#' || line.front() == '!') continue;
        size_t eq = line.find('=');
        std::string_view key = trim(line.substr(0, eq));
        if (eq == std::string_view::npos || key.empty()) {
            // The line itself is not shown: it may be a secret that lost its key.
            return make_error(Errc::InvalidArgument,
                              source + " line " + std::to_string(line_no) + ": expected key=value");
        }
        out.push_back({std::string(key), std::string(trim(line.substr(eq + 1)))});
    }
    return out;
}

Result<KafkaSettings> make_kafka_settings(const KafkaOptions& options,
                                          const std::vector<KafkaProperty>& file_properties) {
    KafkaSettings s;
    s.source = options.config_file.empty() ? "KAFKA_CONFIG_FILE"
                                           : "KAFKA_CONFIG_FILE " + options.config_file;
    s.producer = producer_defaults();
    s.producer.push_back({"compression.codec", options.compression});
    for (const auto& p : file_properties) {
        if (p.key.starts_with(kOurPrefix)) {
            Status st = apply_own_property(p, s.source, s);
            if (!st) return st.error();
            continue;
        }
        Status st = check_not_weakened(p, s.source);
        if (!st) return st.error();
        if (p.key == "bootstrap.servers" || p.key == "metadata.broker.list") {
            s.bootstrap = p.value;
            continue;
        }
        s.producer.push_back(p);
        if (is_connection_property(p.key)) s.reader.push_back(p);
    }
    // KAFKA_BROKERS (or Quix__Broker__Address) wins over the file.
    if (!options.brokers.empty()) s.bootstrap = options.brokers;
    if (s.bootstrap.empty()) {
        return make_error(Errc::InvalidArgument,
                          "no Kafka brokers: set KAFKA_BROKERS (or Quix__Broker__Address) to "
                          "host:port[,host:port...]");
    }
    for (const auto& f : fixed_properties()) s.producer.push_back(f);
    s.producer.push_back({"bootstrap.servers", s.bootstrap});
    s.reader.push_back({"bootstrap.servers", s.bootstrap});
    return s;
}

Result<KafkaSettings> load_kafka_settings(const KafkaOptions& options) {
    std::vector<KafkaProperty> file_properties;
    if (!options.config_file.empty()) {
        std::ifstream in(options.config_file);
        if (!in) {
            return make_error(Errc::FailedPrecondition,
                              "cannot read KAFKA_CONFIG_FILE " + options.config_file);
        }
        std::stringstream text;
        text << in.rdbuf();
        auto parsed =
            parse_kafka_properties(text.str(), "KAFKA_CONFIG_FILE " + options.config_file);
        if (!parsed) return parsed.error();
        file_properties = std::move(*parsed);
    }
    return make_kafka_settings(options, file_properties);
}

Result<ConfPtr> make_rdkafka_conf(const std::vector<KafkaProperty>& properties,
                                  const std::string& source) {
    ConfPtr conf(rd_kafka_conf_new());
    char errstr[512];
    for (const auto& p : properties) {
        if (rd_kafka_conf_set(conf.get(), p.key.c_str(), p.value.c_str(), errstr, sizeof errstr) !=
            RD_KAFKA_CONF_OK) {
            return make_error(Errc::InvalidArgument, source + ": Kafka property " + p.key + ": " +
                                                         without_value(errstr, p.value));
        }
    }
    return conf;
}

}  // namespace cdc::sink
