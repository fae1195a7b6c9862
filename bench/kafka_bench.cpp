// kafka_bench: messages/s into a Kafka broker, for ~500-byte change events.
//
//   kafka_bench --brokers B --topic T --mode plain|plain+headers|sink [--messages N]
//               [--size BYTES] [--headers N]
//
// plain: a bare librdkafka producer with KafkaSink's settings (idempotent, acks=all, lz4,
//        linger 10 ms, 1 MB batches): the broker's own ceiling on this machine.
//        --headers N (0-7) adds N headers per message the way the sink builds them
//        (rd_kafka_headers_new + rd_kafka_header_add, handed over with RD_KAFKA_V_HEADERS):
//        1 is the packed mysql-cdc.position, 3 file/pos/row, 6 the old full set
//        (+server-id, gtid, commit-ms), 7 adds part.
// plain+headers: the same as --headers 3.
// sink:  the same messages through KafkaSink::write() and flush() (position headers, murmur2
//        partitioning, dedupe check): what the sink costs on top.
// Prints one line: mode, messages, seconds, messages/s, MB/s, CPU seconds of this process.
// Built by hand (bench/CMakeLists.txt belongs to the bench owner), e.g. from a build dir B:
//   g++ -std=c++20 -O2 -I src bench/kafka_bench.cpp B/src/libcdc_sink.a
//       B/src/libcdc_model.a B/src/libcdc_common.a -lrdkafka -lspdlog -lfmt -o kafka_bench
// (one line); bench/kafka_bench.py does that.
// bench/kafka_bench.py runs it against the test broker.
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sink/kafka/kafka_config.h"
#include "sink/kafka/kafka_partitioner.h"
#include "sink/kafka/kafka_sink.h"

namespace {

using namespace cdc;
using Clock = std::chrono::steady_clock;

double cpu_seconds() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// A seed-format insert of about `size` bytes (the bench, not the sink, should be cheap).
void value_for(uint64_t i, size_t size, std::string& v) {
    static const std::string pad(4096, 'x');
    v.assign(R"({"kind":"insert","schema":"bench","table":"t","columnnames":["id","pad"],)");
    v += R"("columnvalues":[)";
    v += std::to_string(i);
    v += ",\"";
    if (v.size() + 15 < size) v.append(pad, 0, std::min(pad.size(), size - 15 - v.size()));
    v += R"("],"oldkeys":{}})";
}

// N headers of the sizes the sink writes (see the top), built per message as the sink does.
rd_kafka_headers_t* make_headers(int n, uint64_t i) {
    if (n == 0) return nullptr;
    rd_kafka_headers_t* h = rd_kafka_headers_new(static_cast<size_t>(n));
    std::string pos = std::to_string(4 + (i / 10) * 300);
    std::string row = std::to_string(i % 10);
    if (n == 1) {
        std::string v = "pos:" + pos + " row:" + row + " server:1 gtid:0-1-" + std::to_string(i) +
                        " file:mysql-bin.000001";
        rd_kafka_header_add(h, "mysql-cdc.position", -1, v.data(), static_cast<ssize_t>(v.size()));
        return h;
    }
    const std::string gtid = "0-1-" + std::to_string(i);
    const std::pair<const char*, std::string> all[] = {{"mysql-cdc.file", "mysql-bin.000001"},
                                                       {"mysql-cdc.pos", pos},
                                                       {"mysql-cdc.row", row},
                                                       {"mysql-cdc.server-id", "1"},
                                                       {"mysql-cdc.gtid", gtid},
                                                       {"mysql-cdc.commit-ms", "1764861000123"},
                                                       {"mysql-cdc.part", "1"}};
    for (int k = 0; k < n && k < 7; ++k) {
        rd_kafka_header_add(h, all[k].first, -1, all[k].second.data(),
                            static_cast<ssize_t>(all[k].second.size()));
    }
    return h;
}

int run_plain(const sink::KafkaOptions& c, const std::string& topic, uint64_t n, size_t size,
              int headers) {
    auto settings = sink::load_kafka_settings(c);
    if (!settings) return std::fprintf(stderr, "%s\n", settings.error().message.c_str()), 1;
    auto conf = sink::make_rdkafka_conf(settings->producer, settings->source);
    if (!conf) return std::fprintf(stderr, "%s\n", conf.error().message.c_str()), 1;
    // Delivery reports served by rd_kafka_poll() on this thread, as the sink has them: then the
    // messages (and their headers) are freed here. Without a report callback librdkafka frees
    // them on its broker thread, and glibc malloc's arena lock between the two threads costs
    // more than the headers themselves (a bench artifact, not what the sink pays).
    if (!getenv("KAFKA_BENCH_NO_DR")) {
        rd_kafka_conf_set_dr_msg_cb(conf->get(),
                                    [](rd_kafka_t*, const rd_kafka_message_t*, void*) {});
    }
    sink::ClientErrors errors;
    auto rk = sink::make_kafka_client(RD_KAFKA_PRODUCER, std::move(*conf), errors);
    if (!rk) return std::fprintf(stderr, "%s\n", rk.error().message.c_str()), 1;
    const rd_kafka_metadata_t* md = nullptr;
    sink::TopicPtr rkt(rd_kafka_topic_new(rk->get(), topic.c_str(), nullptr));
    if (rd_kafka_metadata(rk->get(), 0, rkt.get(), &md, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        return std::fprintf(stderr, "no metadata\n"), 1;
    }
    int32_t partitions = md->topics[0].partition_cnt;
    rd_kafka_metadata_destroy(md);
    auto t0 = Clock::now();
    double cpu0 = cpu_seconds();
    std::string value;
    for (uint64_t i = 0; i < n; ++i) {
        std::string key = "[" + std::to_string(i % 100000) + "]";
        value_for(i, size, value);
        int32_t p = sink::partition_for_key(key, partitions);
        rd_kafka_headers_t* h = make_headers(headers, i);
        while (true) {
            rd_kafka_resp_err_t err = rd_kafka_producev(
                rk->get(), RD_KAFKA_V_RKT(rkt.get()), RD_KAFKA_V_PARTITION(p),
                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key.data(), key.size()),
                RD_KAFKA_V_VALUE(value.data(), value.size()), RD_KAFKA_V_HEADERS(h),
                RD_KAFKA_V_END);
            if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
            rd_kafka_poll(rk->get(), 10);
        }
        if (i % 64 == 0) rd_kafka_poll(rk->get(), 0);
    }
    while (rd_kafka_flush(rk->get(), 1000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    }
    double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    double cpu = cpu_seconds() - cpu0;
    std::printf(
        "mode=plain headers=%d messages=%llu seconds=%.2f msgs_per_s=%.0f MB_per_s=%.1f "
        "cpu_s=%.2f cpu_ns_per_msg=%.0f\n",
        headers, static_cast<unsigned long long>(n), secs, static_cast<double>(n) / secs,
        static_cast<double>(n * size) / secs / 1e6, cpu, cpu * 1e9 / static_cast<double>(n));
    return 0;
}

int run_sink(const sink::KafkaOptions& c, uint64_t n, size_t size) {
    auto opened = sink::make_kafka_sink(c);
    if (!opened) return std::fprintf(stderr, "%s\n", opened.error().message.c_str()), 1;
    auto& s = **opened;
    auto t0 = Clock::now();
    double cpu0 = cpu_seconds();
    std::string value;
    for (uint64_t i = 0; i < n; ++i) {
        std::string key = "[" + std::to_string(i % 100000) + "]";
        value_for(i, size, value);
        sink::OutputRecord r{"bench", "t", key, value, "mysql-bin.000001", 4 + (i / 10) * 300,
                             i % 10,  ""};
        Status st = s.write(r);
        if (!st) return std::fprintf(stderr, "%s\n", st.error().message.c_str()), 1;
    }
    Status st = s.flush();
    if (!st) return std::fprintf(stderr, "%s\n", st.error().message.c_str()), 1;
    double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    double cpu = cpu_seconds() - cpu0;
    std::printf(
        "mode=sink messages=%llu seconds=%.2f msgs_per_s=%.0f MB_per_s=%.1f cpu_s=%.2f "
        "cpu_ns_per_msg=%.0f\n",
        static_cast<unsigned long long>(n), secs, static_cast<double>(n) / secs,
        static_cast<double>(n * size) / secs / 1e6, cpu, cpu * 1e9 / static_cast<double>(n));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    spdlog::set_level(spdlog::level::warn);
    sink::KafkaOptions c;
    std::string topic;
    std::string mode = "plain";
    uint64_t n = 500000;
    size_t size = 500;
    int headers = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        std::string v = argv[i + 1];
        if (a == "--brokers")
            c.brokers = v;
        else if (a == "--topic")
            topic = v;
        else if (a == "--mode")
            mode = v;
        else if (a == "--messages")
            n = std::strtoull(v.c_str(), nullptr, 10);
        else if (a == "--size")
            size = std::strtoull(v.c_str(), nullptr, 10);
        else if (a == "--headers")
            headers = std::atoi(v.c_str());
        else if (a == "--config-file")
            c.config_file = v;
    }
    c.topics = {topic};
    c.topic_for = [topic](const model::TableId&) { return topic; };
    if (c.brokers.empty() || topic.empty()) {
        std::fprintf(stderr,
                     "usage: kafka_bench --brokers B --topic T [--mode plain|sink] "
                     "[--messages N] [--size BYTES] [--headers N] [--config-file F]\n");
        return 2;
    }
    if (mode == "sink") return run_sink(c, n, size);
    return run_plain(c, topic, n, size, mode == "plain+headers" ? 3 : headers);
}
