// Saving an attachment on a thread of its own: a 200 MB one takes seconds
// (decoding, writing, the fsync), and no key waits for that. The thread owns
// a share of the message, so leaving the attachment menu does not pull it
// away; it reports progress and its end as events on the reader's queue.
// One save at a time; the destructor waits for a running one (it is the
// user's file).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "mime/message.hpp"
#include "sync/worker.hpp"

namespace tern {

class AttachmentSaver {
public:
    explicit AttachmentSaver(EventQueue& events) : events_(events) {}
    ~AttachmentSaver() { wait(); }
    AttachmentSaver(const AttachmentSaver&) = delete;
    AttachmentSaver& operator=(const AttachmentSaver&) = delete;

    bool busy() const { return busy_; }
    // Starts saving `part` (of `message`) into a new file `path` (0600;
    // replaced when `overwrite`). `total` (the decoded size, or an estimate)
    // is for the progress. Reported by WorkerEvent::Kind::Saved events:
    // progress (finished false), then the end (error empty when it worked).
    void start(std::shared_ptr<const Message> message, const Part& part, std::string path, bool overwrite, std::size_t total);
    // Waits for a running save to end (its events are still queued).
    void wait();

private:
    EventQueue& events_;
    std::thread thread_;
    std::atomic<bool> busy_ = false;
};

}  // namespace tern
