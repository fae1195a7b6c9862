#include "common/result.h"

namespace cdc {

const char* errc_name(Errc code) {
    switch (code) {
        case Errc::Truncated: return "truncated";
        case Errc::Malformed: return "malformed";
        case Errc::ChecksumMismatch: return "checksum mismatch";
        case Errc::Unsupported: return "unsupported";
        case Errc::Unavailable: return "unavailable";
        case Errc::FailedPrecondition: return "failed precondition";
        case Errc::InvalidArgument: return "invalid argument";
        case Errc::DataLoss: return "data loss";
        case Errc::Internal: return "internal error";
    }
    return "unknown";
}

}  // namespace cdc
