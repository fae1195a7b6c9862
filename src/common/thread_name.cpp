#include "common/thread_name.h"

#include <pthread.h>

#include <cstring>

namespace cdc {

void name_this_thread(const char* name) {
    char shown[16];  // the kernel keeps 15 characters and the terminator
    std::strncpy(shown, name, sizeof shown - 1);
    shown[sizeof shown - 1] = '\0';
    pthread_setname_np(pthread_self(), shown);  // a failure only loses the name
}

}  // namespace cdc
