#include "ui/style.hpp"

namespace tern {

std::optional<Style> style_for_object(std::string_view object) {
    struct Named {
        std::string_view name;
        Style style;
    };
    static constexpr Named kNames[] = {
        {"normal", Style::Normal}, {"indicator", Style::Indicator}, {"status", Style::Status},
        {"error", Style::Error}, {"message", Style::Message}, {"prompt", Style::Prompt},
        {"tree", Style::Tree}, {"index_new", Style::IndexNew}, {"index_tag", Style::IndexTag},
        {"index_flags", Style::IndexFlagged}, {"header", Style::Header}, {"hdrdefault", Style::Header},
        {"quoted", Style::Quoted0}, {"quoted0", Style::Quoted0}, {"quoted1", Style::Quoted1},
        {"quoted2", Style::Quoted2}, {"quoted3", Style::Quoted3}, {"signature", Style::Signature},
        {"attachment", Style::Attachment}, {"markers", Style::Attachment}, {"search", Style::Search},
        {"tilde", Style::Tilde}, {"sidebar_new", Style::SidebarNew}, {"sidebar_indicator", Style::SidebarIndicator},
    };
    for (const auto& n : kNames)
        if (n.name == object) return n.style;
    return std::nullopt;
}

}  // namespace tern
