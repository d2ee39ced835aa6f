"""Notifications: each person's inbox in the portal, also e-mailed unless they muted e-mail.

This app knows people, not the programme: `services.notify` stores entries and enqueues their
e-mail, `emails` sends them (from the Celery task in `tasks`), `selectors` reads the inbox and
the bell's count. What is worth telling and to whom is decided by the apps above it
(`assessments.notices`: stage transitions and deadlines).
"""
