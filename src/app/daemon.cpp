#include "app/daemon.h"

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>

#include "app/control_request.h"
#include "app/control_server.h"
#include "app/kafka_options.h"
#include "app/metrics_server.h"
#include "app/pipeline.h"
#include "app/record_options.h"
#include "app/service_notifier.h"
#include "app/table_resolution.h"
#include "common/log_fields.h"
#include "common/thread_name.h"
#include "sink/file_sink.h"
#include "sink/kafka/kafka_sink.h"
#include "sink/stdout_sink.h"
#include "state/state_dir_lock.h"
#include "state/state_store.h"

namespace cdc::app {
namespace {

Result<std::unique_ptr<sink::Sink>> make_sink(const config::Config& config,
                                              metrics::Registry& metrics) {
    switch (config.output_sink) {
        case config::OutputSink::Stdout: return std::unique_ptr<sink::Sink>(new sink::StdoutSink);
        case config::OutputSink::File: {
            auto file = sink::FileSink::open(config.output_file);
            if (!file) return file.error();
            return std::unique_ptr<sink::Sink>(std::move(*file));
        }
        case config::OutputSink::Kafka: {
            sink::KafkaOptions options = kafka_options(config);
            options.metrics = &metrics.kafka;
            return sink::make_kafka_sink(std::move(options));
        }
    }
    return make_error(Errc::Internal, "unknown output sink");
}

// Where the signal thread sends a stop request. A signal handler's target is process-wide by
// nature; this is the one global of the daemon.
struct StopTarget {
    std::mutex mutex;
    Pipeline* pipeline = nullptr;  // set while the pipeline runs
    bool finished = false;         // the daemon is returning: a late signal changes nothing
};
StopTarget g_stop_target;

// Waits for SIGINT/SIGTERM (blocked in every thread) on a thread of its own. The pipeline then
// stops at an event boundary, flushes and saves its checkpoint; before it exists (connecting
// to brokers, taking the lock) nothing was written yet, so the process just exits.
void start_signal_thread(const sigset_t& set) {
    std::thread([set]() {
        name_this_thread("cdc-signals");
        int sig = 0;
        if (sigwait(&set, &sig) != 0) return;
        const char* name = sig == SIGINT ? "SIGINT" : "SIGTERM";
        notify_stopping();
        std::lock_guard<std::mutex> lock(g_stop_target.mutex);
        if (g_stop_target.finished) return;
        if (g_stop_target.pipeline == nullptr) {
            spdlog::info("received {} before streaming started: nothing to save, exiting", name);
            spdlog::default_logger()->flush();
            std::_Exit(0);
        }
        spdlog::info("received {}: flushing and stopping", name);
        g_stop_target.pipeline->request_stop();
    }).detach();
}

// Points the signal thread at `pipeline` for the lifetime of this object.
class StopTargetScope {
public:
    explicit StopTargetScope(Pipeline& pipeline) {
        std::lock_guard<std::mutex> lock(g_stop_target.mutex);
        g_stop_target.pipeline = &pipeline;
    }
    ~StopTargetScope() {
        std::lock_guard<std::mutex> lock(g_stop_target.mutex);
        g_stop_target.pipeline = nullptr;
        g_stop_target.finished = true;
    }
    StopTargetScope(const StopTargetScope&) = delete;
    StopTargetScope& operator=(const StopTargetScope&) = delete;
};

// {STATE_DIR}/mysql-cdc.sock: re-snapshot requests, answered by the pipeline's Resnapshot.
Result<std::unique_ptr<ControlServer>> start_control_server(const config::Config& config,
                                                            Pipeline& pipeline) {
    return ControlServer::start(
        control_socket_path(config.state_dir),
        [&pipeline](const std::string& line, ControlReply reply) {
            auto request = parse_control_request(line);
            if (!request) {
                reply->send("error " + request.error().message);
                return;
            }
            Resnapshot::Done done;
            if (request->wait) done = [reply](const std::string& result) { reply->send(result); };
            std::string answer = pipeline.resnapshot().request(request->tables, done);
            // Refused, or accepted without --wait: answered now; with --wait once it ended.
            if (!request->wait || answer.rfind("ok", 0) != 0) reply->send(answer);
        });
}

}  // namespace

sigset_t block_stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    return set;
}

void unblock_stop_signals(const sigset_t& set) { pthread_sigmask(SIG_UNBLOCK, &set, nullptr); }

state::StateStore state_store(const config::Config& config) {
    state::StateStore store(config.state_dir, config.tables);
    store.set_patterns(config.table_patterns);
    stream::RecordOptions records = record_options(config);
    store.set_output(std::string(stream::output_format_name(records.format)),
                     std::string(stream::key_scheme_name(records)));
    return store;
}

int run_daemon(const config::Config& given) {
    for (const std::string& w : given.warnings) spdlog::warn("{}", w);
    spdlog::info("mysql-cdc starting: {}", given.redacted_summary());
    start_signal_thread(block_stop_signals());  // blocked already by main(); the set to wait for
    start_watchdog();
    auto lock = state::StateDirLock::acquire(given.state_dir);
    if (!lock) {
        spdlog::error("{}", lock.error().message);
        return 1;
    }
    // From here on every part sees the concrete tables, patterns resolved.
    auto resolved = resolve_table_patterns(given);
    if (!resolved) {
        spdlog::error("{}", resolved.error().message);
        return 1;
    }
    const config::Config& config = *resolved;
    // Before the sink: health probes answer while the brokers are being reached.
    metrics::Registry metrics;
    std::unique_ptr<MetricsServer> metrics_server;
    if (config.metrics_port != 0) {
        auto server = MetricsServer::start(metrics_server_options(config), metrics);
        if (!server) {
            spdlog::error("{}", server.error().message);
            return 1;
        }
        metrics_server = std::move(*server);
    }
    auto sink = make_sink(config, metrics);
    if (!sink) {
        LogFields fields{{"error_code", errc_name(sink.error().code)}};
        spdlog::error("{}", sink.error().message);
        return 1;
    }
    state::StateStore state = state_store(config);
    Pipeline pipeline(config, **sink, state, metrics);
    // `mysql-cdc snapshot --table` talks to it; destroyed before the pipeline. Without it the
    // daemon still streams (only re-snapshots on demand are unavailable).
    auto control = start_control_server(config, pipeline);
    if (!control) {
        spdlog::warn("{}; `mysql-cdc snapshot` cannot reach this daemon", control.error().message);
    }
    Status st = [&] {
        StopTargetScope scope(pipeline);
        return pipeline.run();
    }();
    if (!st) {
        const model::Checkpoint& at = pipeline.last_checkpoint();
        LogFields fields{{"error_code", errc_name(st.error().code)},
                         {"binlog_file", at.position.file},
                         {"binlog_pos", at.position.pos},
                         {"skip_rows", at.skip_rows},
                         {"gtid", at.gtid}};
        spdlog::error("{}", st.error().message);
        notify_status("failed: " + st.error().message);
        return 1;
    }
    spdlog::info("stopped cleanly");
    return 0;
}

}  // namespace cdc::app
