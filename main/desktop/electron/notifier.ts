/**
 * OS notification adapter (Electron's Notification). Keeps a reference to every live notification:
 * one that is garbage-collected loses its click handler on macOS and Windows.
 */
import { Notification } from 'electron';
import type { NotifierPort } from '../controller';
import { supportsNotificationActions, type NotificationActionId } from '../notification-rules';

const ACTION_LABELS: Record<NotificationActionId, string> = { answer: 'Answer', decline: 'Decline', dial: 'Dial', reject: 'Reject' };

export function createNotifier(iconPath?: string): NotifierPort {
  const live = new Set<Notification>();
  const withActions = supportsNotificationActions(process.platform);
  return {
    get supported() {
      return Notification.isSupported();
    },
    show(notification, handlers, options) {
      const actions = withActions ? notification.actions : [];
      const toast = new Notification({
        id: notification.key.replace(/[^A-Za-z0-9:_-]/g, '_').slice(0, 64),
        title: notification.title,
        body: notification.body,
        urgency: notification.urgency,
        silent: notification.kind !== 'incoming-call',
        // A ringing call and an offered record wait for the agent: their toasts stay until acted on (or closed by the controller).
        timeoutType: notification.kind === 'incoming-call' || notification.kind === 'preview-record' ? 'never' : 'default',
        actions: actions.map((id) => ({ type: 'button' as const, text: options?.actionLabels[id] ?? ACTION_LABELS[id] })),
        ...(iconPath && { icon: iconPath }),
      });
      live.add(toast);
      const forget = () => live.delete(toast);
      toast.on('click', () => {
        forget();
        handlers.click();
      });
      toast.on('action', (details) => {
        forget();
        const id = actions[details.actionIndex];
        if (id) handlers.action(id);
      });
      toast.on('close', forget);
      toast.on('failed', forget);
      toast.show();
      return {
        close: () => {
          forget();
          toast.close();
        },
      };
    },
  };
}
