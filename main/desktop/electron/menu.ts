/**
 * The application menu: editing and window roles only. Electron's default menu binds Ctrl+R
 * (reload) and Ctrl+H, which would take the agent's shortcuts (docs/ui.md) and reload the app
 * mid-call; no View menu, so no reload and no DevTools in production.
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';

export function installAppMenu(platform: NodeJS.Platform = process.platform): void {
  const template: MenuItemConstructorOptions[] = [
    ...(platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'editMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
