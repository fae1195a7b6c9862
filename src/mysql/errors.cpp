#include "mysql/errors.h"

#include <algorithm>
#include <cctype>

#include "mysql/check_messages.h"

namespace cdc::mysql {
namespace {

std::string endpoint(const ErrorContext& ctx) {
    return std::string(ctx.host) + ":" + std::to_string(ctx.port);
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string server_said(unsigned code, std::string_view message) {
    return " (error " + std::to_string(code) + ": " + std::string(message) + ")";
}

Error connect_error(unsigned code, std::string_view message, const ErrorContext& ctx) {
    const std::string at = endpoint(ctx);
    switch (code) {
        case kErAccessDenied:
            return make_error(Errc::FailedPrecondition,
                              "MySQL refused user '" + std::string(ctx.user) + "'@'" +
                                  std::string(ctx.host) +
                                  "': wrong MYSQL_USER/MYSQL_PASSWORD, or that user may not "
                                  "connect from this host" + server_said(code, message));
        case kErDbAccessDenied:
            return make_error(Errc::FailedPrecondition,
                              "user '" + std::string(ctx.user) +
                                  "' may not use the database in MYSQL_DATABASE" +
                                  server_said(code, message));
        case kErBadDb:
            return make_error(Errc::FailedPrecondition,
                              "the database named by MYSQL_DATABASE does not exist on " + at +
                                  server_said(code, message));
        case kCrUnknownHost:
            return make_error(Errc::Unavailable,
                              "cannot resolve MySQL host '" + std::string(ctx.host) +
                                  "': check MYSQL_HOST and DNS" + server_said(code, message));
        case kCrConnectionError:
        case kCrConnHostError:
        case kCrServerLost:
        case kCrServerGoneError:
        case kCrServerLostExtended:
            return make_error(Errc::Unavailable,
                              "cannot connect to MySQL at " + at +
                                  ": check MYSQL_HOST/MYSQL_PORT, that the server is running, "
                                  "and that its port is reachable from here (bind-address, "
                                  "firewall)" + server_said(code, message));
        case kErConCount:
            return make_error(Errc::Unavailable, "MySQL at " + at + " has too many connections" +
                                                     server_said(code, message));
        case kCrSslConnectionError:
            return make_error(Errc::FailedPrecondition,
                              "TLS connection to MySQL at " + at +
                                  " failed: check MYSQL_SSL_MODE/MYSQL_SSL_CA and the server's "
                                  "TLS setup" + server_said(code, message));
        case kCrAuthPluginCannotLoad:
        case kErNotSupportedAuthMode:
            return make_error(Errc::FailedPrecondition,
                              "cannot authenticate user '" + std::string(ctx.user) + "' at " +
                                  at + ": the server's authentication method needs a client "
                                       "plugin or TLS that is not available" +
                                  server_said(code, message));
        default:
            break;
    }
    const Errc errc = code >= 2000 ? Errc::Unavailable : Errc::FailedPrecondition;
    return make_error(errc, "cannot connect to MySQL at " + at + server_said(code, message));
}

}  // namespace

bool is_position_gone_message(std::string_view message) {
    const std::string m = lower(message);
    for (const char* needle : {"purged", "could not find first log", "impossible position"}) {
        if (m.find(needle) != std::string::npos) return true;
    }
    return false;
}

Error translate_error(unsigned code, std::string_view message, ErrorStage stage,
                      const ErrorContext& ctx) {
    if (stage == ErrorStage::Connect) return connect_error(code, message, ctx);
    const std::string at = endpoint(ctx);
    const std::string doing = ctx.doing.empty() ? "" : " while " + std::string(ctx.doing);
    switch (code) {
        case kCrServerGoneError:
        case kCrServerLost:
        case kCrServerLostExtended:
        case kErConnectionKilled:
        case kErServerShutdown:
            return make_error(Errc::Unavailable, "lost the connection to MySQL at " + at +
                                                     doing + server_said(code, message));
        case kErSpecificAccessDenied:
        case kErTableAccessDenied:
        case kErDbAccessDenied:
            return make_error(Errc::FailedPrecondition,
                              "user '" + std::string(ctx.user) + "' lacks a privilege" + doing +
                                  server_said(code, message));
        case kErMasterFatalReadingBinlog:
            if (is_position_gone_message(message)) {
                return make_error(Errc::DataLoss,
                                  "the requested binlog position is no longer on the server at " +
                                      at + " (purged, or never existed): " +
                                      std::string(kPositionGoneAdvice) +
                                      server_said(code, message));
            }
            if (lower(message).find("same server") != std::string::npos) {
                return make_error(Errc::FailedPrecondition,
                                  "another replica uses our server id: set MYSQL_SERVER_ID to "
                                  "an id no other replica of " + at + " uses" +
                                      server_said(code, message));
            }
            return make_error(Errc::DataLoss, "MySQL at " + at + " stopped sending the binlog" +
                                                  doing + server_said(code, message));
        default:
            break;
    }
    const Errc errc = code >= 2000 ? Errc::Unavailable : Errc::FailedPrecondition;
    return make_error(errc, "MySQL at " + at + " returned an error" + doing +
                                server_said(code, message));
}

std::string redact(std::string text, std::string_view secret) {
    // A secret of a few characters is a common substring, not a recognisable password.
    if (secret.size() < 4) return text;
    size_t pos = 0;
    while ((pos = text.find(secret, pos)) != std::string::npos) {
        text.replace(pos, secret.size(), "***");
        pos += 3;
    }
    return text;
}

}  // namespace cdc::mysql
