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
        let stack = Modal.stack(state)
        // The form and the input line take the place of the main view and the message.
        if !stack.contains(.form) { drawMainView(state, into: &screen) }
        if !stack.contains(.inputLine) { MessageView.draw(state, into: &screen, row: size.height - 2) }
        FooterView.draw(state, into: &screen, row: size.height - 1)
        // Bottom to top, in the order that also gives the top one the keys (`Mode.of`).
        for modal in stack { draw(modal, state, into: &screen) }
        return screen
    }

    /// The first body row; the body ends above the message line and the footer.
    static let bodyTop = 1
    static func bodyBottom(_ screen: Screen) -> Int { screen.size.height - 2 }

    private static func drawMainView(_ state: AppState, into screen: inout Screen) {
        let top = bodyTop, bottom = bodyBottom(screen)
        switch state.nav.view {
        case .gpus: GPUsView.draw(state, into: &screen, top: top, bottom: bottom)
        case .raw: RawView.draw(state, into: &screen, top: top, bottom: bottom)
        case .events: EventsView.draw(state, into: &screen, top: top, bottom: bottom)
        case .timers: TimersView.draw(state, into: &screen, top: top, bottom: bottom)
        case .forwards: ForwardsView.draw(state, into: &screen, top: top, bottom: bottom)
        case .plugins: PluginOutputView.draw(state, into: &screen, top: top, bottom: bottom)
        case .volumes, .credentials: StorageView.draw(state, into: &screen, top: top, bottom: bottom)
        case .pods:
            switch state.nav.focus {
            case .list: ListView.draw(state, into: &screen, top: top, bottom: bottom)
            case .detail: DetailView.draw(state, into: &screen, top: top, bottom: bottom)
            }
        }
    }

    /// Draws one open layer.
    static func draw(_ modal: Modal, _ state: AppState, into screen: inout Screen) {
        switch modal {
        case .inputLine:
            if let input = state.nav.input { InputView.draw(state, input, into: &screen, row: screen.size.height - 2) }
        case .form:
            if let form = state.form { FormView.draw(state, form, into: &screen, top: bodyTop, bottom: bodyBottom(screen)) }
        case .picker:
            if let form = state.form, let picker = form.picker { PickerView.draw(state, form, picker, into: &screen) }
        case .formCommandLine:
            if let form = state.form { FormView.drawCommandLine(form.commandLine(catalog: state.catalog), into: &screen) }
        case .formPrompt:
            if case .discard(let thenQuit, let discardFocused)? = state.form?.prompt {
                FormView.drawDiscard(thenQuit: thenQuit, discardFocused: discardFocused, into: &screen)
            }
        case .templateChooser:
            if let selected = state.templateChooser { TemplateChooserView.draw(state, selected: selected, into: &screen) }
        case .storageEditor:
            if let editor = state.storage.editor { StorageEditorView.draw(state, editor, into: &screen) }
        case .overlay:
            switch state.nav.overlay {
            case .help?: HelpView.draw(state, into: &screen)
            case .confirmDelete(let id, let name, let deleteFocused)?:
                ConfirmView.draw(state, podID: id, name: name, deleteFocused: deleteFocused, into: &screen)
            case .confirmBulk(let action)?:
                BulkConfirmView.draw(state, action: action, into: &screen)
            case .confirmPlugin(let run)?:
                PluginOutputView.drawConfirm(state, run, into: &screen)
            case .confirmStorageDelete(let target, let name, let deleteFocused)?:
                ConfirmView.draw(state, target: target, name: name, deleteFocused: deleteFocused, into: &screen)
            case nil: break
            }
        }
    }

    /// The number of list rows `render` shows at `size` (for paging).
    public static func listRows(for state: AppState, size: Size) -> Int {
        max(1, ListLayout.layout(state, height: size.height - 3, width: size.width).rows)
    }
}
