// Opening the Get Started walkthrough once per profile: the decision, apart from VS Code so a unit test can run it.

/** The part of vscode.Memento (the extension's globalState) the decision needs. */
export interface FlagStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export const WALKTHROUGH_OPENED = 'pgdba.walkthroughOpened';

/**
 * Opens the walkthrough the first time pgdba starts in a profile, then never again (the flag lives in globalState, which
 * follows the profile, not the workspace). `openOnInstall` is VS Code's own workbench.welcomePage.walkthroughs.openOnInstall:
 * a user (or a test run) who turned walkthroughs-on-install off is not shown it, and the flag stays unset, so turning the
 * setting back on shows it once. Returns whether it opened.
 */
export async function openWalkthroughOnce(state: FlagStore, openOnInstall: boolean, open: () => Thenable<unknown>): Promise<boolean> {
  if (state.get<boolean>(WALKTHROUGH_OPENED) || !openOnInstall) return false;
  // The flag first: a second window activating at the same moment must not open it again.
  await state.update(WALKTHROUGH_OPENED, true);
  await open();
  return true;
}
