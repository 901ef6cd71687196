/**
 * Why a global hotkey is refused, in the agent's language: one whole message per reason
 * (preload/accelerator-rules.ts gives the code), for Settings (before sending) and the hotkey
 * registry in main (keys from the policy or the stored settings).
 */
import type { AcceleratorProblem } from '../accelerator-rules';
import type { Translator } from './index';

/** `key`: the combination as the agent wrote it or reads it. */
export function acceleratorProblemText(tr: Translator, key: string, problem: AcceleratorProblem): string {
  switch (problem.code) {
    case 'tooLong':
      return tr.t('desktop.accelerator.tooLong', { key: key.slice(0, 40) });
    case 'notCombination':
      return tr.t('desktop.accelerator.notCombination', { key });
    case 'twice':
      return tr.t('desktop.accelerator.twice', { key, modifier: problem.modifier });
    case 'notAKey':
      return tr.t('desktop.accelerator.notAKey', { key, token: problem.token });
    case 'twoKeys':
      return tr.t('desktop.accelerator.twoKeys', { key, first: problem.first, second: problem.second });
    case 'noKey':
      return tr.t('desktop.accelerator.noKey', { key });
    case 'needsModifier':
      return tr.t('desktop.accelerator.needsModifier', { key });
  }
}
