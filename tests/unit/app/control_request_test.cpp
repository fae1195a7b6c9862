#include "app/control_request.h"

#include <gtest/gtest.h>

namespace cdc::app {
namespace {

TEST(ControlRequest, ParsesTablesAndWaitInAnyOrder) {
    auto r = parse_control_request("snapshot shop.orders --wait  shop.items\r\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->wait);
    ASSERT_EQ(r->tables.size(), 2u);
    EXPECT_EQ(r->tables[0], (model::TableId{"shop", "orders"}));
    EXPECT_EQ(r->tables[1], (model::TableId{"shop", "items"}));
}

TEST(ControlRequest, DropsRepeatedTables) {
    auto r = parse_control_request("snapshot a.b a.b");
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->wait);
    EXPECT_EQ(r->tables.size(), 1u);
}

TEST(ControlRequest, RefusesWhatIsNotARequest) {
    for (const char* line :
         {"", "snapshot", "snapshot --wait", "status", "snapshot orders", "snapshot .orders",
          "snapshot shop.", "snapshot a.b.c", "snapshot --force a.b"}) {
        auto r = parse_control_request(line);
        ASSERT_FALSE(r.ok()) << line;
        EXPECT_EQ(r.error().code, Errc::InvalidArgument) << line;
        EXPECT_FALSE(r.error().message.empty());
    }
}

TEST(ControlRequest, LineRoundTrips) {
    ControlRequest request{{{"shop", "orders"}, {"db", "t"}}, true};
    auto back = parse_control_request(control_request_line(request));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->tables, request.tables);
    EXPECT_TRUE(back->wait);
}

TEST(ControlRequest, SocketLivesInTheStateDirectory) {
    EXPECT_EQ(control_socket_path("/var/lib/mysql-cdc"), "/var/lib/mysql-cdc/mysql-cdc.sock");
    EXPECT_EQ(control_socket_path("/var/lib/mysql-cdc/"), "/var/lib/mysql-cdc/mysql-cdc.sock");
    EXPECT_EQ(control_socket_path(""), "./mysql-cdc.sock");
}

}  // namespace
}  // namespace cdc::app
