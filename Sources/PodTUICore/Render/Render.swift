import FoundationEssentials
import PodAPI

/// `render(state, size)`: the pure view. Same state and size, same screen.
public enum Render {
    public static func render(_ state: AppState, size: Size) -> Screen {
        var screen = Screen(size: size)
        guard size.width > 0, size.height > 0 else { return screen }
        if size.width < 20 || size.height < 5 {
            screen.put("podtui: enlarge the terminal", row: 0, col: 0, maxWidth: size.width)
            return screen
        }
        HeaderView.draw(state, into: &screen)
        let bodyTop = 1
        let bodyBottom = size.height - 2   // exclusive: message line, footer
        if let form = state.form {
            FormView.draw(state, form, into: &screen, top: bodyTop, bottom: bodyBottom)
        } else if state.nav.view == .gpus {
            GPUsView.draw(state, into: &screen, top: bodyTop, bottom: bodyBottom)
        } else if state.nav.view == .raw {
            RawView.draw(state, into: &screen, top: bodyTop, bottom: bodyBottom)
        } else if state.nav.view == .events {
            EventsView.draw(state, into: &screen, top: bodyTop, bottom: bodyBottom)
        } else if state.nav.view == .timers {
            TimersView.draw(state, into: &screen, top: bodyTop, bottom: bodyBottom)
        } else if state.nav.view == .volumes || state.nav.view == .credentials {
            StorageView.draw(state, into: &screen, top: bodyTop, bottom: bodyBottom)
        } else {
            switch state.nav.focus {
            case .list: ListView.draw(state, into: &screen, top: bodyTop, bottom: bodyBottom)
            case .detail: DetailView.draw(state, into: &screen, top: bodyTop, bottom: bodyBottom)
            }
        }
        if let input = state.nav.input {
            InputView.draw(state, input, into: &screen, row: size.height - 2)
        } else {
            MessageView.draw(state, into: &screen, row: size.height - 2)
        }
        FooterView.draw(state, into: &screen, row: size.height - 1)
        switch state.nav.overlay {
        case .help?: HelpView.draw(state, into: &screen)
        case .confirmDelete(let id, let name, let deleteFocused)?:
            ConfirmView.draw(state, podID: id, name: name, deleteFocused: deleteFocused, into: &screen)
        case .confirmBulk(let action)?:
            BulkConfirmView.draw(state, action: action, into: &screen)
        case .confirmStorageDelete(let target, let name, let deleteFocused)?:
            ConfirmView.draw(state, target: target, name: name, deleteFocused: deleteFocused, into: &screen)
        case nil: break
        }
        if let editor = state.storage.editor { StorageEditorView.draw(state, editor, into: &screen) }
        if let selected = state.templateChooser, state.form != nil { TemplateChooserView.draw(state, selected: selected, into: &screen) }
        return screen
    }

    /// The number of list rows `render` shows at `size` (for paging).
    public static func listRows(for state: AppState, size: Size) -> Int {
        max(1, ListLayout.layout(state, height: size.height - 3, width: size.width).rows)
    }
}
