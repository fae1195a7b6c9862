// Exposition: writes metrics in the Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/): a HELP and a TYPE line per
// family, then its samples, label values escaped.
//
//   Exposition out;
//   out.family("mysql_cdc_changes_total", "counter", "Changes emitted");
//   out.sample("mysql_cdc_changes_total", {{"table", "shop.orders"}, {"kind", "insert"}}, 42);
//   std::string body = out.take();
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace cdc::metrics {

using Label = std::pair<std::string_view, std::string_view>;

class Exposition {
public:
    // `type`: counter, gauge, info is written as gauge (the text format 0.0.4 has no info).
    void family(std::string_view name, std::string_view type, std::string_view help);
    void sample(std::string_view name, std::initializer_list<Label> labels, double value);
    void sample(std::string_view name, double value) { sample(name, {}, value); }
    // A family of one unlabelled sample.
    void single(std::string_view name, std::string_view type, std::string_view help, double value);
    std::string take() { return std::move(text_); }

private:
    std::string text_;
};

// A label value with `\`, `"` and newline escaped as the format asks.
void append_label_value(std::string& out, std::string_view value);
// A help text with `\` and newline escaped.
void append_help(std::string& out, std::string_view help);
// A sample value: integers without a fraction, others in the shortest exact form, NaN/+Inf.
void append_value(std::string& out, double value);

}  // namespace cdc::metrics
