// A disk that fills after `bytes`: RLIMIT_FSIZE makes a write past it fail
// as ENOSPC would (SIGXFSZ ignored, so write() returns EFBIG instead of
// killing the test), until the object goes.
#pragma once

#include <sys/resource.h>

#include <csignal>

struct FileSizeLimit {
    explicit FileSizeLimit(rlim_t bytes) {
        ::getrlimit(RLIMIT_FSIZE, &old_);
        old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit small = old_;
        small.rlim_cur = bytes;
        ::setrlimit(RLIMIT_FSIZE, &small);
    }
    ~FileSizeLimit() {
        ::setrlimit(RLIMIT_FSIZE, &old_);
        std::signal(SIGXFSZ, old_handler_);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

private:
    struct rlimit old_ {};
    void (*old_handler_)(int) = nullptr;
};
