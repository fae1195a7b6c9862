#include "metrics/exposition.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace cdc::metrics {
namespace {

TEST(Exposition, FamilyAndSamplesInTextFormat) {
    Exposition out;
    out.family("mysql_cdc_changes_total", "counter", "Changes emitted");
    out.sample("mysql_cdc_changes_total", {{"schema", "shop"}, {"table", "orders"}}, 42);
    out.sample("mysql_cdc_changes_total", 7);
    EXPECT_EQ(out.take(),
              "# HELP mysql_cdc_changes_total Changes emitted\n"
              "# TYPE mysql_cdc_changes_total counter\n"
              "mysql_cdc_changes_total{schema=\"shop\",table=\"orders\"} 42\n"
              "mysql_cdc_changes_total 7\n");
}

TEST(Exposition, InfoIsWrittenAsGauge) {
    Exposition out;
    out.family("x_info", "info", "h");
    EXPECT_NE(out.take().find("# TYPE x_info gauge\n"), std::string::npos);
}

TEST(Exposition, LabelValuesAreEscaped) {
    std::string s;
    append_label_value(s, "a\\b\"c\nd");
    EXPECT_EQ(s, "a\\\\b\\\"c\\nd");
    Exposition out;
    out.sample("m", {{"table", "we\"ird\n"}}, 1);
    EXPECT_EQ(out.take(), "m{table=\"we\\\"ird\\n\"} 1\n");
}

TEST(Exposition, HelpEscapesBackslashAndNewlineOnly) {
    std::string s;
    append_help(s, "a \"quoted\" \\ and\nmore");
    EXPECT_EQ(s, "a \"quoted\" \\\\ and\\nmore");
}

TEST(Exposition, Values) {
    auto text = [](double v) {
        std::string s;
        append_value(s, v);
        return s;
    };
    EXPECT_EQ(text(0), "0");
    EXPECT_EQ(text(18446744073.0), "18446744073");
    EXPECT_EQ(text(0.25), "0.25");
    EXPECT_EQ(text(-3), "-3");
    EXPECT_EQ(text(std::numeric_limits<double>::quiet_NaN()), "NaN");
    EXPECT_EQ(text(std::numeric_limits<double>::infinity()), "+Inf");
    EXPECT_EQ(text(1e300), "1e+300");
}

}  // namespace
}  // namespace cdc::metrics
