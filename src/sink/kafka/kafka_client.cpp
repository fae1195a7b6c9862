#include "sink/kafka/kafka_client.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <string_view>

namespace cdc::sink {
namespace {

using Clock = std::chrono::steady_clock;

void log_callback(const rd_kafka_t*, int level, const char* facility, const char* message) {
    // librdkafka uses syslog levels; its "errors" are mostly transient (a broker going away), so
    // they are warnings here. Outage spam is suppressed by librdkafka itself. The notice that
    // enable.gapless.guarantee (which we set on purpose) is experimental is not news to anyone.
    std::string_view text = message;
    bool expected = text.find("enable.gapless.guarantee is experimental") != text.npos;
    if (level <= 4 && !expected) {
        spdlog::warn("kafka: {}: {}", facility, message);
    } else if (level <= 6) {
        spdlog::info("kafka: {}: {}", facility, message);
    } else {
        spdlog::debug("kafka: {}: {}", facility, message);
    }
}

void error_callback(rd_kafka_t*, int err, const char* reason, void* opaque) {
    auto* errors = static_cast<ClientErrors*>(opaque);
    auto code = static_cast<rd_kafka_resp_err_t>(err);
    errors->last = reason;
    if (code == RD_KAFKA_RESP_ERR__AUTHENTICATION ||
        code == RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED ||
        code == RD_KAFKA_RESP_ERR_UNSUPPORTED_SASL_MECHANISM ||
        code == RD_KAFKA_RESP_ERR_ILLEGAL_SASL_STATE) {
        errors->authentication = reason;
        spdlog::error("kafka: authentication failed: {}", reason);
    } else if (code == RD_KAFKA_RESP_ERR__FATAL) {
        spdlog::error("kafka: fatal error: {}", reason);
    } else {
        // The log callback has already reported it.
        spdlog::debug("kafka: error: {}: {}", rd_kafka_err2name(code), reason);
    }
}

}  // namespace

std::string kafka_error_text(rd_kafka_resp_err_t err) {
    return std::string(rd_kafka_err2name(err)) + ": " + rd_kafka_err2str(err);
}

Result<KafkaPtr> make_kafka_client(rd_kafka_type_t type, ConfPtr conf, ClientErrors& errors) {
    rd_kafka_conf_set_log_cb(conf.get(), log_callback);
    rd_kafka_conf_set_error_cb(conf.get(), error_callback);
    rd_kafka_conf_set_opaque(conf.get(), &errors);
    char errstr[512];
    // rd_kafka_new takes the configuration only when it succeeds.
    rd_kafka_t* rk = rd_kafka_new(type, conf.get(), errstr, sizeof errstr);
    if (rk == nullptr) {
        return make_error(Errc::InvalidArgument,
                          std::string("cannot create the Kafka client: ") + errstr);
    }
    (void)conf.release();
    return KafkaPtr(rk);
}

Status wait_for_brokers(rd_kafka_t* rk, const KafkaSettings& settings, ClientErrors& errors) {
    auto deadline = Clock::now() + settings.connect_timeout;
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    while (true) {
        const rd_kafka_metadata_t* md = nullptr;
        err = rd_kafka_metadata(rk, 0, nullptr, &md, 1000);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            MetadataPtr owned(md);
            if (md->broker_cnt > 0) return {};
        }
        rd_kafka_poll(rk, 0);  // serves the error callback
        if (!errors.authentication.empty()) {
            return make_error(Errc::FailedPrecondition,
                              "Kafka authentication failed at " + settings.bootstrap + ": " +
                                  errors.authentication + " (check the SASL/SSL settings in " +
                                  settings.source + ")");
        }
        if (Clock::now() >= deadline) break;
    }
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(settings.connect_timeout);
    std::string why = errors.last.empty() ? kafka_error_text(err) : errors.last;
    return make_error(Errc::Unavailable, "cannot reach the Kafka brokers " + settings.bootstrap +
                                             " within " + std::to_string(secs.count()) +
                                             " s: " + why +
                                             " (check KAFKA_BROKERS and that the brokers run)");
}

}  // namespace cdc::sink
