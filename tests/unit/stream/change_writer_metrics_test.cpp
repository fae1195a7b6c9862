// ChangeWriter's counting for /metrics: by table and kind, the bytes written, replayed changes
// dropped after a restart, and a schema rebuilt for the same table (a new generation) still
// counting into the same entry.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "metrics/registry.h"
#include "model/row_image.h"
#include "stream/change_writer.h"

namespace cdc::stream {
namespace {

class RecordingSink final : public sink::Sink {
public:
    Status recover(const model::Checkpoint&) override { return {}; }
    Status write(const sink::OutputRecord& record) override {
        bytes += record.value.size();
        return {};
    }
    Status flush() override { return {}; }
    uint64_t pending_bytes() const override { return 0; }
    uint64_t bytes = 0;
};

model::TableSchema schema(const std::string& table) {
    model::TableSchema s;
    s.schema = "shop";
    s.table = table;
    model::ColumnDef id;
    id.type = model::ColumnType::Long;
    id.name = "id";
    s.columns.push_back(id);
    s.primary_key = {0};
    s.has_column_names = true;
    s.generation = model::next_schema_generation();
    return s;
}

uint64_t count(const metrics::Registry& r, const std::string& table, model::ChangeKind kind) {
    for (const metrics::TableMetrics* t : r.tables()) {
        if (t->id.table == table) return t->changes[static_cast<size_t>(kind)].value();
    }
    return 0;
}

TEST(ChangeWriterMetrics, CountsByTableAndKindWithBytes) {
    RecordingSink sink;
    metrics::Registry registry;
    ChangeWriter writer(sink, &registry);
    model::TableSchema orders = schema("orders");
    model::TableSchema items = schema("items");
    model::RowImage row{{model::Value::of_int(7)}};
    auto change = [&](model::ChangeKind kind, const model::TableSchema& t) {
        model::ChangeEvent c;
        c.kind = kind;
        c.table = &t;
        c.after = kind == model::ChangeKind::Delete ? nullptr : &row;
        c.before = kind == model::ChangeKind::Insert ? nullptr : &row;
        ASSERT_TRUE(writer.on_change(c, 0, 0).ok());
    };
    for (int i = 0; i < 3; ++i) change(model::ChangeKind::Insert, orders);
    change(model::ChangeKind::Update, items);
    change(model::ChangeKind::Delete, orders);
    // The same table's schema parsed again (a new TABLE_MAP): the same counters.
    model::TableSchema orders_again = schema("orders");
    change(model::ChangeKind::Insert, orders_again);

    EXPECT_EQ(count(registry, "orders", model::ChangeKind::Insert), 4u);
    EXPECT_EQ(count(registry, "orders", model::ChangeKind::Delete), 1u);
    EXPECT_EQ(count(registry, "items", model::ChangeKind::Update), 1u);
    EXPECT_EQ(count(registry, "items", model::ChangeKind::Insert), 0u);
    EXPECT_EQ(registry.tables().size(), 2u);
    uint64_t bytes = 0;
    for (const metrics::TableMetrics* t : registry.tables()) bytes += t->bytes.value();
    EXPECT_EQ(bytes, sink.bytes);
    EXPECT_GT(bytes, 0u);
}

TEST(ChangeWriterMetrics, ReplayedChangesAreCountedApart) {
    RecordingSink sink;
    metrics::Registry registry;
    ChangeWriter writer(sink, &registry);
    model::Checkpoint resume;
    resume.position = {"mysql-bin.000001", 4};
    resume.skip_rows = 2;
    writer.tracker().reset(resume);
    model::TableSchema orders = schema("orders");
    model::RowImage row{{model::Value::of_int(1)}};
    model::ChangeEvent c;
    c.kind = model::ChangeKind::Insert;
    c.table = &orders;
    c.after = &row;
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(writer.on_change(c, 0, 0).ok());
    EXPECT_EQ(count(registry, "orders", model::ChangeKind::Insert), 3u);
    EXPECT_EQ(registry.replayed_skipped.value(), 2u);
}

}  // namespace
}  // namespace cdc::stream
