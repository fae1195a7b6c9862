// The Kafka sink's options from the daemon's configuration: the one place config/ meets
// sink/kafka/, as app::connection_params() is for mysql/.
#pragma once

#include "config/config.h"
#include "sink/kafka/kafka_options.h"

namespace cdc::app {

sink::KafkaOptions kafka_options(const config::Config& config);

}  // namespace cdc::app
