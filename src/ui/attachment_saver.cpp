#include "ui/attachment_saver.hpp"

#include <chrono>
#include <cstring>

#include "util/files.hpp"

namespace tern {

void AttachmentSaver::start(std::shared_ptr<const Message> message, const Part& part, std::string path, bool overwrite, std::size_t total) {
    wait();
    busy_ = true;
    thread_ = std::thread([this, message = std::move(message), &part, path = std::move(path), overwrite, total] {
        WorkerEvent e{WorkerEvent::Kind::Saved, "", {}, "", path, 0, 0, total, false, false};
        auto last = std::chrono::steady_clock::now();
        const int err = write_new_file_by_pieces(path, 0600, overwrite, [&](const PieceWriter& write) {
            return decode_body_to(*message, part, [&](std::string_view piece) {
                e.done += piece.size();
                // progress a few times a second: each event redraws the screen
                if (const auto now = std::chrono::steady_clock::now(); now - last > std::chrono::milliseconds(200)) {
                    last = now;
                    events_.push(e);
                }
                return write(piece);
            });
        });
        e.finished = true;
        if (err) e.error = "Cannot write " + path + ": " + std::strerror(err) + " (nothing was saved)";
        busy_ = false;
        events_.push(std::move(e));
    });
}

void AttachmentSaver::wait() {
    if (thread_.joinable()) thread_.join();
}

}  // namespace tern
