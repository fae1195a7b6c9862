// Formatting cost per change, seed envelope against Debezium's (issue 15: at most ~4 us of CPU
// per change end to end, so formatting must stay a small part of it). One 6-column row (INT
// key, VARCHAR, DECIMAL(10,2), DATETIME, TIMESTAMP(3), INT) as the binlog decoder hands it.
//
//   build/bench/format_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <string>

#include "format/change_json.h"
#include "format/debezium_json.h"
#include "model/row_image.h"

namespace {

using namespace cdc;

struct Fixture {
    model::TableSchema table;
    model::RowImage before;
    model::RowImage after;
    // DECIMAL(10,2) 1234.56 in MySQL's binary form.
    const char decimal[5] = {'\x80', '\x00', '\x04', '\xD2', '\x38'};

    Fixture() {
        table.schema = "shop";
        table.table = "orders";
        auto add = [&](const char* name, model::ColumnType type) -> model::ColumnDef& {
            model::ColumnDef c;
            c.name = name;
            c.type = type;
            table.columns.push_back(c);
            return table.columns.back();
        };
        add("id", model::ColumnType::Long).nullable = false;
        add("customer", model::ColumnType::VarChar).collation = 255;
        auto& price = add("price", model::ColumnType::NewDecimal);
        price.precision = 10;
        price.scale = 2;
        add("created", model::ColumnType::DateTime2);
        add("updated", model::ColumnType::Timestamp2).fsp = 3;
        add("quantity", model::ColumnType::Long);
        table.primary_key = {0};
        table.has_column_names = true;
        table.generation = model::next_schema_generation();
        after = row(1001);
        before = row(1001);
    }

    model::RowImage row(int64_t id) const {
        model::RowImage r;
        r.values.push_back(model::Value::of_int(id));
        r.values.push_back(model::Value::of_text("Anne Kretchmar", 255));
        model::Value d;
        d.kind = model::ValueKind::Decimal;
        d.bytes = std::string_view(decimal, 5);
        d.precision = 10;
        d.scale = 2;
        r.values.push_back(d);
        model::Value dt;
        dt.kind = model::ValueKind::DateTime;
        dt.datetime = {2024, 1, 31, 13, 45, 7, 0};
        r.values.push_back(dt);
        model::Value ts;
        ts.kind = model::ValueKind::Timestamp;
        ts.timestamp = {1706708707, 120000};
        ts.fsp = 3;
        r.values.push_back(ts);
        r.values.push_back(model::Value::of_int(3));
        return r;
    }
};

format::DebeziumSource source() {
    format::DebeziumSource s;
    s.binlog_file = "mysql-bin.000003";
    s.binlog_pos = 154;
    s.server_id = 1;
    s.commit_time_ms = 1706708707000;
    return s;
}

void BM_SeedInsert(benchmark::State& state) {
    Fixture f;
    model::ChangeEvent ev{model::ChangeKind::Insert, &f.table, nullptr, &f.after};
    std::string out;
    for (auto _ : state) {
        out.clear();
        format::append_change_json(ev, out);
        format::append_change_key_json(ev, out);
        benchmark::DoNotOptimize(out.data());
    }
}
BENCHMARK(BM_SeedInsert);

void debezium(benchmark::State& state, model::ChangeKind kind, bool schemas) {
    Fixture f;
    model::ChangeEvent ev{kind, &f.table, kind == model::ChangeKind::Insert ? nullptr : &f.before,
                          &f.after};
    format::DebeziumOptions options;
    options.schemas = schemas;
    format::DebeziumSource s = source();
    std::string out;
    for (auto _ : state) {
        out.clear();
        format::append_debezium_value_json(ev, s, options, 1706708707123, out);
        format::append_debezium_key_json(ev, options, false, out);
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["bytes"] = static_cast<double>(out.size());
}

void BM_DebeziumInsert(benchmark::State& state) {
    debezium(state, model::ChangeKind::Insert, false);
}
BENCHMARK(BM_DebeziumInsert);
void BM_DebeziumUpdate(benchmark::State& state) {
    debezium(state, model::ChangeKind::Update, false);
}
BENCHMARK(BM_DebeziumUpdate);
void BM_DebeziumInsertWithSchemas(benchmark::State& state) {
    debezium(state, model::ChangeKind::Insert, true);
}
BENCHMARK(BM_DebeziumInsertWithSchemas);

}  // namespace

BENCHMARK_MAIN();
