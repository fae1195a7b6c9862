// kafka_preflight without a broker: settings that cannot work, invalid topic names and brokers
// nobody listens for (a closed port on 127.0.0.1). With a broker: test_check_command.py.
#include "sink/kafka/kafka_preflight.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include "support/scratch_file_test.h"

namespace cdc::sink {
namespace {

using Level = PreflightLine::Level;
using namespace std::chrono_literals;

// A port on 127.0.0.1 nobody listens on: bound, then closed.
int closed_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    ::close(fd);
    return ntohs(addr.sin_port);
}

class KafkaPreflight : public test::ScratchFileTest {
protected:
    KafkaPreflight() : ScratchFileTest("cdc-kafka-preflight-") {}
};

TEST_F(KafkaPreflight, BadPropertyIsNamedAndNothingIsContacted) {
    std::ofstream(path_) << "linger.ms=5\nlinger.mss=10\n";
    KafkaOptions options;
    options.brokers = "127.0.0.1:1";
    options.config_file = path_;
    options.topics = {"cdc"};
    auto lines = kafka_preflight(options, 1000ms);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].level, Level::Fail);
    EXPECT_EQ(lines[0].name, "kafka settings");
    EXPECT_NE(lines[0].detail.find("Kafka property linger.mss"), std::string::npos)
        << lines[0].detail;
    EXPECT_NE(lines[0].detail.find(path_), std::string::npos) << lines[0].detail;
}

TEST_F(KafkaPreflight, InvalidTopicAndUnreachableBrokersAreEachOneLine) {
    const std::string bootstrap = "127.0.0.1:" + std::to_string(closed_port());
    KafkaOptions options;
    options.brokers = bootstrap;
    options.topics = {"cdc.d.ok", "cdc.d.odd$name", "cdc.d.ok"};
    auto t0 = std::chrono::steady_clock::now();
    auto lines = kafka_preflight(options, 1500ms);
    auto took = std::chrono::steady_clock::now() - t0;
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0].level, Level::Fail);
    EXPECT_EQ(lines[0].name, "kafka topic cdc.d.odd$name");
    EXPECT_EQ(lines[0].topic, "cdc.d.odd$name");
    EXPECT_NE(lines[0].detail.find("not a valid Kafka topic name: it has the character '$'"),
              std::string::npos);
    EXPECT_EQ(lines[1].level, Level::Ok);
    EXPECT_EQ(lines[1].name, "kafka producer");
    EXPECT_EQ(lines[2].level, Level::Fail);
    EXPECT_EQ(lines[2].name, "kafka brokers");
    EXPECT_NE(lines[2].detail.find("cannot reach the Kafka brokers " + bootstrap + " within 1 s"),
              std::string::npos)
        << lines[2].detail;
    EXPECT_LT(took, 10s);  // bounded by broker_wait, not by the 30 s default
}

}  // namespace
}  // namespace cdc::sink
