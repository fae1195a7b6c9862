#include "mysql/errors.h"

#include <gtest/gtest.h>

namespace cdc::mysql {
namespace {

const ErrorContext kCtx{"db.example", 3307, "cdc", "running SHOW BINARY LOGS"};

TEST(Errors, AccessDeniedIsAPersonsProblem) {
    Error e = translate_error(1045, "Access denied for user 'cdc'@'10.0.0.1' (using password: YES)",
                              ErrorStage::Connect, kCtx);
    EXPECT_EQ(e.code, Errc::FailedPrecondition);
    EXPECT_NE(e.message.find("MySQL refused user 'cdc'@'db.example'"), std::string::npos);
    EXPECT_NE(e.message.find("MYSQL_USER/MYSQL_PASSWORD"), std::string::npos);
}

TEST(Errors, UnreachableIsRetried) {
    for (unsigned code : {2002u, 2003u, 2013u}) {
        Error e = translate_error(code, "Can't connect", ErrorStage::Connect, kCtx);
        EXPECT_EQ(e.code, Errc::Unavailable) << code;
        EXPECT_NE(e.message.find("db.example:3307"), std::string::npos);
        EXPECT_NE(e.message.find("MYSQL_HOST/MYSQL_PORT"), std::string::npos);
    }
    EXPECT_EQ(translate_error(2005, "Unknown server host", ErrorStage::Connect, kCtx).code,
              Errc::Unavailable);
}

TEST(Errors, LostConnectionDuringQueryOrStream) {
    for (unsigned code : {2006u, 2013u, 1927u}) {
        Error e = translate_error(code, "Lost connection", ErrorStage::Stream, kCtx);
        EXPECT_EQ(e.code, Errc::Unavailable) << code;
        EXPECT_NE(e.message.find("lost the connection"), std::string::npos);
    }
}

TEST(Errors, PurgedPositionIsDataLoss) {
    Error e = translate_error(1236,
                              "Could not find first log file name in binary log index file",
                              ErrorStage::Stream, kCtx);
    EXPECT_EQ(e.code, Errc::DataLoss);
    EXPECT_NE(e.message.find("FORCE_SNAPSHOT=true"), std::string::npos);
    EXPECT_TRUE(is_position_gone_message("The slave is connecting using CHANGE MASTER TO "
                                         "MASTER_AUTO_POSITION = 1, but the master has purged "
                                         "binary logs"));
    EXPECT_FALSE(is_position_gone_message("binlog truncated in the middle of event"));
}

TEST(Errors, DuplicateServerId) {
    Error e = translate_error(1236, "A slave with the same server_uuid/server_id as this slave "
                                    "has connected to the master", ErrorStage::Stream, kCtx);
    EXPECT_EQ(e.code, Errc::FailedPrecondition);
    EXPECT_NE(e.message.find("MYSQL_SERVER_ID"), std::string::npos);
}

TEST(Errors, Redact) {
    EXPECT_EQ(redact("pw is s3cret!, again s3cret!", "s3cret!"), "pw is ***, again ***");
    EXPECT_EQ(redact("nothing", ""), "nothing");
    EXPECT_EQ(redact("wrong abc", "abc"), "wrong abc");  // too short to be recognisable
}

}  // namespace
}  // namespace cdc::mysql
