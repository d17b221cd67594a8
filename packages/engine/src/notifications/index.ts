export {
  notificationMessage,
  type NamedTransition,
  type NotificationMessage,
} from './notification-message.ts';
export {
  selectNotifications,
  type NotificationRuleFacts,
  type QueuedTransition,
  type SelectedNotifications,
  type SelectNotificationsInput,
} from './select-notifications.ts';
