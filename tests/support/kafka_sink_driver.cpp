// kafka_sink_driver: pushes records through KafkaSink, for integration tests of the sink alone.
//
//   kafka_sink_driver --brokers B (--topic T | --topic-template 'cdc.{schema}.{table}')
//                     [--tables s.t,...] [--config-file F] [--compression lz4] [--no-recover]
//
// stdin, one per line:
//   {"schema","table","file","pos","row","key","value","gtid"}   a record (key/value: JSON text)
//   flush                                                        flush; prints "flushed ..."
//                                                                (same fields as "done")
// At end of input it flushes and prints "done produced=P delivered=D dropped=X checkpoint=F:P:R"
// (the last record written). Errors go to stderr as "error: <Errc>: <message>", exit status 1.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "app/kafka_options.h"
#include "config/config.h"
#include "sink/kafka/kafka_sink.h"

namespace {

using cdc::config::Config;

int fail(const cdc::Error& e) {
    std::cerr << "error: " << cdc::errc_name(e.code) << ": " << e.message << std::endl;
    return 1;
}

bool parse_args(int argc, char** argv, Config& c, bool& recover) {
    c.output_sink = cdc::config::OutputSink::Kafka;
    std::string tables;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        std::string v = i + 1 < argc ? argv[i + 1] : "";
        if (a == "--no-recover") {
            recover = false;
            continue;
        }
        ++i;
        if (a == "--brokers")
            c.kafka_brokers = v;
        else if (a == "--topic")
            c.output_topic = v;
        else if (a == "--topic-template")
            c.kafka_topic_template = v;
        else if (a == "--tables")
            tables = v;
        else if (a == "--config-file")
            c.kafka_config_file = v;
        else if (a == "--compression") {
            using K = cdc::config::KafkaCompression;
            for (K k : {K::None, K::Gzip, K::Snappy, K::Lz4, K::Zstd}) {
                if (cdc::config::to_string(k) == v) c.kafka_compression = k;
            }
        } else {
            return false;
        }
    }
    size_t start = 0;
    while (start < tables.size()) {
        size_t comma = tables.find(',', start);
        std::string item = tables.substr(start, comma - start);
        size_t dot = item.find('.');
        if (dot != std::string::npos) {
            c.tables.push_back({item.substr(0, dot), item.substr(dot + 1)});
        }
        start = comma == std::string::npos ? tables.size() : comma + 1;
    }
    return !c.kafka_brokers.empty() && !(c.output_topic.empty() && c.kafka_topic_template.empty());
}

}  // namespace

int main(int argc, char** argv) {
    spdlog::set_default_logger(spdlog::stderr_color_mt("driver"));
    Config config;
    bool recover = true;
    if (!parse_args(argc, argv, config, recover)) {
        std::cerr << "usage: kafka_sink_driver --brokers B (--topic T | --topic-template X) "
                     "[--tables s.t,...] [--config-file F] [--compression C] [--no-recover]\n";
        return 2;
    }
    auto opened = cdc::sink::make_kafka_sink(cdc::app::kafka_options(config));
    if (!opened) return fail(opened.error());
    auto* sink = static_cast<cdc::sink::KafkaSink*>(opened->get());
    if (recover) {
        cdc::Status st = sink->recover(cdc::model::Checkpoint{});
        if (!st) return fail(st.error());
    }
    std::cout << "ready" << std::endl;
    std::string line;
    std::string last = "none";
    while (std::getline(std::cin, line)) {
        if (line == "flush") {
            cdc::Status st = sink->flush();
            if (!st) return fail(st.error());
            auto s = sink->stats();
            // After a flush every record written so far is acknowledged: a checkpoint.
            std::cout << "flushed produced=" << s.produced << " delivered=" << s.delivered
                      << " dropped=" << s.dropped << " checkpoint=" << last << std::endl;
            continue;
        }
        if (line.empty()) continue;
        auto j = nlohmann::json::parse(line);
        std::string schema = j.value("schema", "s"), table = j.value("table", "t");
        std::string file = j.value("file", ""), key = j.at("key"), value = j.at("value");
        std::string gtid = j.value("gtid", "");
        cdc::sink::OutputRecord r{schema,
                                  table,
                                  key,
                                  value,
                                  file,
                                  j.value("pos", uint64_t{0}),
                                  j.value("row", uint64_t{0}),
                                  gtid};
        cdc::Status st = sink->write(r);
        if (!st) return fail(st.error());
        last = file + ":" + std::to_string(r.binlog_pos) + ":" + std::to_string(r.row_index);
    }
    cdc::Status st = sink->flush();
    if (!st) return fail(st.error());
    auto s = sink->stats();
    std::cout << "done produced=" << s.produced << " delivered=" << s.delivered
              << " dropped=" << s.dropped << " checkpoint=" << last << std::endl;
    return 0;
}
