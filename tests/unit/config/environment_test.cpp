#include "config/environment.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace cdc::config {
namespace {

EnvMap parse_ok(std::string_view text, const EnvMap& outer = {}) {
    Result<EnvMap> r = parse_dotenv(text, ".env", outer);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : EnvMap{};
}

std::string parse_error(std::string_view text) {
    Result<EnvMap> r = parse_dotenv(text, "/srv/app/.env");
    EXPECT_FALSE(r.ok());
    if (r.ok()) return "";
    EXPECT_EQ(r.error().code, Errc::InvalidArgument);
    return r.error().message;
}

// The seed's own example file, verbatim in shape: comments, blank lines, a trailing comment.
TEST(ConfigDotenv, ParsesTheSeedExample) {
    EnvMap env = parse_ok(
        "# MySQL Connection\n"
        "MYSQL_HOST=localhost\n"
        "MYSQL_PORT=3306\n"
        "\n"
        "MYSQL_SNAPSHOT_HOST=replica.mysql.example.com  # Optional\n"
        "Quix__State__Dir=./state\n"
        "output=cdc-changes-topic\n");
    EXPECT_EQ(env.size(), 5u);
    EXPECT_EQ(env["MYSQL_HOST"], "localhost");
    EXPECT_EQ(env["MYSQL_PORT"], "3306");
    EXPECT_EQ(env["MYSQL_SNAPSHOT_HOST"], "replica.mysql.example.com");
    EXPECT_EQ(env["Quix__State__Dir"], "./state");
    EXPECT_EQ(env["output"], "cdc-changes-topic");
}

TEST(ConfigDotenv, QuotesExportAndWhitespace) {
    EnvMap env = parse_ok(
        "export A=1\n"
        "  B = two words  \n"
        "C='lit${X} # not a comment'\n"
        "D=\"line\\nnext \\\"q\\\"\" # comment\n"
        "E=pa#ss\n"
        "F=\n"
        "G=\"\"\n"
        "H=x=y\r\n"
        "\t# indented comment\n");
    EXPECT_EQ(env["A"], "1");
    EXPECT_EQ(env["B"], "two words");
    EXPECT_EQ(env["C"], "lit${X} # not a comment");
    EXPECT_EQ(env["D"], "line\nnext \"q\"");
    EXPECT_EQ(env["E"], "pa#ss");  // a '#' inside a password is not a comment
    EXPECT_EQ(env["F"], "");
    EXPECT_EQ(env["G"], "");
    EXPECT_EQ(env["H"], "x=y");
    EXPECT_EQ(env.size(), 8u);
}

TEST(ConfigDotenv, LaterLinesWinAndBomIsIgnored) {
    EnvMap env = parse_ok("\xEF\xBB\xBF" "A=1\nA=2\n");
    EXPECT_EQ(env["A"], "2");
}

TEST(ConfigDotenv, ExpandsVariablesEnvironmentFirst) {
    EnvMap outer{{"HOST", "from-env"}};
    EnvMap env = parse_ok(
        "HOST=from-file\n"
        "PORT=3307\n"
        "A=${HOST}:${PORT}\n"
        "B=\"${MISSING:-fallback}\"\n"
        "C=${MISSING}\n"
        "D=${unclosed\n",
        outer);
    EXPECT_EQ(env["A"], "from-env:3307");
    EXPECT_EQ(env["B"], "fallback");
    EXPECT_EQ(env["C"], "");
    EXPECT_EQ(env["D"], "${unclosed");
}

TEST(ConfigDotenv, MalformedLinesNameFileAndLineButNotTheValue) {
    std::string e = parse_error("A=1\n# c\nMYSQL_PASSWORD 's3cret'\n");
    EXPECT_EQ(e.rfind("/srv/app/.env:3: ", 0), 0u) << e;
    EXPECT_NE(e.find("expected KEY=VALUE"), std::string::npos) << e;
    EXPECT_EQ(e.find("s3cret"), std::string::npos) << e;

    EXPECT_NE(parse_error("A='open\n").find(":1: unterminated single quote"), std::string::npos);
    EXPECT_NE(parse_error("A=\"open\n").find(":1: unterminated double quote"), std::string::npos);
    EXPECT_NE(parse_error("A='x' y\n").find("text after the quote"), std::string::npos);
    EXPECT_NE(parse_error("1A=x\n").find("not a valid variable name"), std::string::npos);
    EXPECT_NE(parse_error("=x\n").find("not a valid variable name"), std::string::npos);
    EXPECT_NE(parse_error("MY-VAR=x\n").find("not a valid variable name"), std::string::npos);
}

TEST(ConfigDotenv, RealEnvironmentWinsOverTheFile) {
    EnvMap merged = merge_environment({{"A", "env"}, {"C", "env"}}, {{"A", "file"}, {"B", "file"}});
    EXPECT_EQ(merged, (EnvMap{{"A", "env"}, {"B", "file"}, {"C", "env"}}));
}

TEST(ConfigDotenv, MissingFileIsEmptyAndAFileIsRead) {
    std::filesystem::path dir = std::filesystem::temp_directory_path() / "cdc_config_env_test";
    std::filesystem::create_directories(dir);
    Result<EnvMap> none = read_dotenv_file(dir / "absent.env");
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->empty());

    std::ofstream(dir / ".env") << "MYSQL_TABLE=orders\nBAD LINE\n";
    Result<EnvMap> bad = read_dotenv_file(dir / ".env");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find(".env:2: "), std::string::npos) << bad.error().message;
    std::filesystem::remove_all(dir);
}

TEST(ConfigDotenv, ProcessEnvironmentIsMergedOverTheFile) {
    std::filesystem::path dir = std::filesystem::temp_directory_path() / "cdc_config_proc_test";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / ".env") << "CDC_CONFIG_TEST_A=file\nCDC_CONFIG_TEST_B=file\n";
    ::setenv("CDC_CONFIG_TEST_A", "process", 1);
    Result<EnvMap> env = environment_from_process(dir / ".env");
    ::unsetenv("CDC_CONFIG_TEST_A");
    ASSERT_TRUE(env.ok()) << env.error().message;
    EXPECT_EQ((*env)["CDC_CONFIG_TEST_A"], "process");
    EXPECT_EQ((*env)["CDC_CONFIG_TEST_B"], "file");
    EXPECT_FALSE(env->at("PATH").empty());
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cdc::config
