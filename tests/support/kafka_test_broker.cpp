// kafka_test_broker: librdkafka's built-in mock cluster as a standalone process, for tests.
//
//   kafka_test_broker [--brokers N]
//   -> prints "bootstrap=127.0.0.1:PORT[,...]" (one line, flushed) once the listeners are up,
//      then reads commands on stdin, one per line, and answers "ok" or "error <why>":
//        create TOPIC PARTITIONS   a topic with that many partitions (replication factor 1)
//        down [BROKER_ID|all]      disconnect the broker(s) and refuse new connections
//        up [BROKER_ID|all]        accept connections again
//        error TOPIC ERRNAME       make Metadata report ERRNAME for TOPIC (e.g.
//                                  UNKNOWN_TOPIC_OR_PART: a topic that "does not exist" and
//                                  cannot be created; NO_ERROR clears it)
//        quit
//   It exits when stdin closes, so a test that dies takes its broker with it.
//
// Facts about this mock (librdkafka 2.0.2), found by running it: a topic is auto-created with 4
// partitions when a client asks for its metadata with auto-creation allowed (producers do, by
// default); Produce to an unknown topic fails with UNKNOWN_TOPIC_OR_PART; CreateTopics is not
// implemented. Messages live in memory only: a restart loses them.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>

namespace {

struct Broker {
    rd_kafka_t* rk = nullptr;
    rd_kafka_mock_cluster_t* cluster = nullptr;
    int count = 1;
};

std::string err_text(rd_kafka_resp_err_t err) {
    return std::string(rd_kafka_err2name(err)) + ": " + rd_kafka_err2str(err);
}

// Applies set_down/set_up to one broker id or, for "all" (or no argument), to every broker.
std::string set_state(Broker& b, const std::string& which, bool up) {
    int first = 1;
    int last = b.count;
    if (!which.empty() && which != "all") {
        char* end = nullptr;
        long id = std::strtol(which.c_str(), &end, 10);
        if (*end != '\0' || id < 1 || id > b.count) return "error no broker " + which;
        first = last = static_cast<int>(id);
    }
    for (int id = first; id <= last; ++id) {
        rd_kafka_resp_err_t err = up ? rd_kafka_mock_broker_set_up(b.cluster, id)
                                     : rd_kafka_mock_broker_set_down(b.cluster, id);
        if (err) return "error " + err_text(err);
    }
    return "ok";
}

rd_kafka_resp_err_t err_by_name(const std::string& name) {
    const rd_kafka_err_desc* descs = nullptr;
    size_t count = 0;
    rd_kafka_get_err_descs(&descs, &count);
    for (size_t i = 0; i < count; ++i) {
        if (descs[i].name != nullptr && name == descs[i].name) return descs[i].code;
    }
    return RD_KAFKA_RESP_ERR__BAD_MSG;
}

std::string run_command(Broker& b, const std::string& line) {
    std::istringstream in(line);
    std::string cmd;
    std::string arg;
    std::string arg2;
    in >> cmd >> arg >> arg2;
    if (cmd == "create") {
        int partitions = std::atoi(arg2.c_str());
        if (arg.empty() || partitions < 1) return "error usage: create TOPIC PARTITIONS";
        rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(b.cluster, arg.c_str(),
                                                             partitions, 1);
        return err ? "error " + err_text(err) : "ok";
    }
    if (cmd == "down") return set_state(b, arg, false);
    if (cmd == "up") return set_state(b, arg, true);
    if (cmd == "error") {
        rd_kafka_resp_err_t err = err_by_name(arg2);
        if (arg.empty() || err == RD_KAFKA_RESP_ERR__BAD_MSG) {
            return "error usage: error TOPIC ERRNAME (e.g. UNKNOWN_TOPIC_OR_PART)";
        }
        rd_kafka_mock_topic_set_error(b.cluster, arg.c_str(), err);
        return "ok";
    }
    return "error unknown command: " + cmd;
}

int parse_args(int argc, char** argv) {
    int count = 1;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--brokers" && i + 1 < argc) {
            count = std::atoi(argv[++i]);
        } else {
            std::cerr << "usage: kafka_test_broker [--brokers N]\n";
            return -1;
        }
    }
    return count >= 1 ? count : -1;
}

}  // namespace

int main(int argc, char** argv) {
    Broker b;
    b.count = parse_args(argc, argv);
    if (b.count < 1) return 2;
    char errstr[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    // The handle only hosts the cluster's thread; keep it quiet and off the network.
    if (rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
        std::cerr << errstr << "\n";
        return 1;
    }
    b.rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (b.rk == nullptr) {
        std::cerr << "rd_kafka_new: " << errstr << "\n";
        return 1;
    }
    b.cluster = rd_kafka_mock_cluster_new(b.rk, b.count);
    if (b.cluster == nullptr) {
        std::cerr << "cannot create the mock cluster\n";
        return 1;
    }
    std::cout << "bootstrap=" << rd_kafka_mock_cluster_bootstraps(b.cluster) << std::endl;
    std::string line;
    while (std::getline(std::cin, line)) {
        if (line.empty()) continue;
        if (line == "quit") break;
        std::cout << run_command(b, line) << std::endl;
    }
    rd_kafka_mock_cluster_destroy(b.cluster);
    rd_kafka_destroy(b.rk);
    return 0;
}
