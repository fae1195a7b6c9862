// The messages each change becomes (stream::RecordOptions) from the daemon's configuration:
// OUTPUT_FORMAT, the DEBEZIUM_* settings, KAFKA_MESSAGE_KEY and KAFKA_TOMBSTONES.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "config/config.h"
#include "sink/output_shape.h"
#include "stream/change_records.h"

namespace cdc::app {

// Tombstones only go to Kafka; keys only to a sink that writes them (the caller's with_key).
stream::RecordOptions record_options(const config::Config& config);

// Whether this run may go on from a checkpoint whose output was written in the saved format
// and key scheme (the state file's "output_format", "message_key"; docs/STATE.md). They may
// differ unless the output holds changes newer than the checkpoint (`delivered_after`,
// sink::Sink::delivered_after): the replay drops those by comparing positions per partition,
// and with other keys or parts a change lands in another partition or under another part
// (sent twice or lost). Those changes' own messages tell how they were written
// (`delivered_shapes`, sink::Sink::delivered_after_shapes); they decide where they tell, the
// saved shape where they do not (a state file of the original connector or an older
// mysql-cdc has none; a run that crashed before its first checkpoint did not save its own).
// Returns the line to log about a switch ("" without one), or the error.
Result<std::string> check_output_switch(std::string_view saved_format, std::string_view saved_key,
                                        std::string_view format, std::string_view key,
                                        const std::optional<std::string>& delivered_after,
                                        std::span<const sink::OutputShape> delivered_shapes = {});

}  // namespace cdc::app
