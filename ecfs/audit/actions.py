"""The closed audit vocabulary: every action an audit event may record, with its stored string and a label.

The stored strings are the ones written since the first release (rows, searches and exports compare
them), so a member's value never changes; add a member for a new kind of event.
"""

from django.db import models


class AuditAction(models.TextChoices):
    VIEWED = "viewed", "Record viewed"

    # Accounts and the audit trail itself
    TWO_FACTOR_ENROLLED = "two_factor.enrolled", "Two-factor authentication set up"
    TWO_FACTOR_VERIFY_FAILED = "two_factor.verify_failed", "Two-factor code refused"
    TWO_FACTOR_RECOVERY_CODES_REPLACED = "two_factor.recovery_codes_replaced", "Recovery codes replaced"
    TWO_FACTOR_RESET = "two_factor.reset", "Two-factor authentication reset"
    AUDIT_EXPORTED = "audit.exported", "Audit trail exported"

    # Configuration by the service admin
    STAFF_ADDED = "staff.added", "Member of staff added"
    STAFF_DEACTIVATED = "staff.deactivated", "Member of staff deactivated"
    STAFF_SET_PASSWORD_LINK = "staff.set_password_link", "Set-password link made"
    FUND_LIMITS_CHANGED = "fund.limits_changed", "Fund limits changed"
    KPI_TARGET_CHANGED = "kpi.target_changed", "KPI target changed"
    BUDGET_ACTUAL_RECORDED = "budget.actual_recorded", "Budget actual spend recorded"
    VENUE_ASSESSED = "venue.assessed", "Venue accessibility assessed"

    # Partner API
    API_PARTNER_CREATED = "api.partner_created", "Partner system registered"
    API_PARTNER_REVOKED = "api.partner_revoked", "Partner token revoked"

    # Referrals
    REFERRAL_RECEIVED = "referral.received", "Referral received"
    REFERRAL_PARTNER_RECEIVED = "referral.partner_received", "Referral received from a partner system"
    REFERRAL_DECIDED = "referral.decided", "Referral decided"
    REFERRAL_CONSENT_OVERRIDDEN = "referral.consent_overridden", "Referral accepted without the family's agreement"
    REFERRAL_FIRST_CONTACT = "referral.first_contact", "First contact made"
    REFERRAL_AMENDED = "referral.amended", "Referral details corrected"
    REFERRAL_ANONYMISED = "referral.anonymised", "Referral never linked to a family anonymised"
    REFERRAL_LEGAL_HOLD = "referral.legal_hold", "Legal hold placed on a referral never linked to a family"
    REFERRAL_LEGAL_HOLD_RELEASED = "referral.legal_hold_released", "Legal hold released for a referral"

    # Families
    FAMILY_CREATED = "family.created", "Family record created"
    FAMILY_CHANGED = "family.changed", "Family details changed"
    FAMILY_ALLOCATED = "family.allocated", "Family allocated"
    FAMILY_ALLOCATION_ENDED = "family.allocation_ended", "Family allocation ended"
    FAMILY_RESTRICTED = "family.restricted", "Family record restricted"
    FAMILY_UNRESTRICTED = "family.unrestricted", "Family record restriction lifted"
    FAMILY_ADDRESS_WITHHELD = "family.address_withheld", "Family address withheld"
    FAMILY_ADDRESS_RELEASED = "family.address_released", "Family address released"
    FAMILY_LEGAL_HOLD = "family.legal_hold", "Legal hold placed"
    FAMILY_LEGAL_HOLD_RELEASED = "family.legal_hold_released", "Legal hold released"
    FAMILY_IMPORTED = "family.imported", "Family imported"
    FAMILY_IMPORT_MATCHED = "family.import_matched", "Imported record matched to a family"
    FAMILY_ANONYMISED = "family.anonymised", "Family anonymised"
    FAMILY_REGISTERED = "family.registered", "Family registered without a referral"
    PERSON_ADDED = "person.added", "Person added"
    PERSON_PROGRESS = "person.progress", "Progress recorded"
    PERSON_EARLY_EDUCATION = "person.early_education", "Early education recorded"
    PERSON_AMENDED = "person.amended", "Person's details corrected"
    PROFESSIONAL_ADDED = "professional.added", "Professional added"
    DOCUMENT_ADDED = "document.added", "Document added to the record"
    DOCUMENT_DOWNLOADED = "document.downloaded", "Document downloaded"
    DOCUMENT_MARKED_IN_ERROR = "document.in_error", "Document recorded in error"
    EXTRACT_PSEUDONYMISED = "extract.pseudonymised", "Pseudonymised extract produced"

    # Support: contacts, visits, assessments and plans
    CONTACT_LOGGED = "contact.logged", "Contact logged"
    CONTACT_SAFEGUARDING_ACTION = "contact.safeguarding_action", "Safeguarding action recorded"
    CONTACT_AMENDED = "contact.amended", "Contact corrected"
    CONTACT_IN_ERROR = "contact.in_error", "Contact marked recorded in error"
    VISIT_PLANNED = "visit.planned", "Visit planned"
    VISIT_CANCELLED = "visit.cancelled", "Visit cancelled"
    ASSESSMENT_STARTED = "assessment.started", "Assessment started"
    ASSESSMENT_COMPLETED = "assessment.completed", "Assessment completed"
    PLAN_CREATED = "plan.created", "Support plan created"
    PLAN_ACTION_ADDED = "plan.action_added", "Plan action added"
    PLAN_ACTION_DONE = "plan.action_done", "Plan action done"
    PLAN_ACTION_REOPENED = "plan.action_reopened", "Plan action reopened"
    PLAN_ACTION_REASSIGNED = "plan.action_reassigned", "Plan action reassigned"
    PLAN_ACTION_REDATED = "plan.action_redated", "Plan action re-dated"
    PLAN_SCORES = "plan.scores", "Plan scores recorded"
    PLAN_SUBMITTED = "plan.submitted", "Plan sent for approval"
    PLAN_ACTIVATED = "plan.activated", "Plan approved and active"
    PLAN_RETURNED = "plan.returned", "Plan returned"
    PLAN_REVIEWED = "plan.reviewed", "Plan reviewed"
    PLAN_CLOSURE_REQUESTED = "plan.closure_requested", "Plan closure requested"
    PLAN_CLOSED = "plan.closed", "Plan closed"
    PLAN_FOLLOW_UP = "plan.follow_up", "Plan follow-up recorded"
    PLAN_FAMILY_COPY = "plan.family_copy", "Family's copy of the plan downloaded"
    ASSESSMENT_AMENDED = "assessment.amended", "Assessment corrected"
    ASSESSMENT_IN_ERROR = "assessment.in_error", "Assessment marked recorded in error"
    PLAN_GOAL_AMENDED = "plan.goal_amended", "Plan goal re-worded"
    PLAN_ACTION_AMENDED = "plan.action_amended", "Plan action re-worded"
    PLAN_REVIEW_AMENDED = "plan.review_amended", "Plan review corrected"
    PLAN_SCORES_AMENDED = "plan.scores_amended", "Plan scores corrected"
    PLAN_SCORES_IN_ERROR = "plan.scores_in_error", "Plan scores marked recorded in error"
    PLAN_FOLLOW_UP_AMENDED = "plan.follow_up_amended", "Plan follow-up corrected"
    PLAN_FOLLOW_UP_IN_ERROR = "plan.follow_up_in_error", "Plan follow-up marked recorded in error"

    # Family support fund: one action per application status, and budgets
    FUND_DRAFT = "fund.draft", "Fund application drafted"
    FUND_SUBMITTED = "fund.submitted", "Fund application submitted"
    FUND_AWAITING_SECOND = "fund.awaiting_second", "Fund application awaiting second approval"
    FUND_APPROVED = "fund.approved", "Fund application approved"
    FUND_DECLINED = "fund.declined", "Fund application declined"
    FUND_PAID = "fund.paid", "Fund application paid"
    FUND_CANCELLED = "fund.cancelled", "Fund application cancelled"
    FUND_BUDGET_ADJUSTED = "fund.budget_adjusted", "Fund budget adjusted"
    FUND_AMENDED = "fund.amended", "Fund application or payment details corrected"

    # Imports
    IMPORT_BATCH = "import.batch", "Import batch run"
    IMPORT_REVIEW_CREATED = "import.review_created", "Import review created"
    IMPORT_REVIEW_DECIDED = "import.review_decided", "Import review decided"

    # Venues and group courses
    GROUP_COURSE_CREATED = "group_course.created", "Group course created"
    GROUP_COURSE_FACILITATORS_CHANGED = "group_course.facilitators_changed", "Group course facilitators changed"
    GROUP_SESSION_MOVED = "group_session.moved", "Group session moved"
    GROUP_SESSION_CANCELLED = "group_session.cancelled", "Group session cancelled"
    GROUP_SESSION_REGISTER_TAKEN = "group_session.register_taken", "Group session register taken"
    GROUP_SESSION_REGISTER_UPDATED = "group_session.register_updated", "Group session register updated"
    GROUP_SESSION_REGISTER_AMENDED = "group_session.register_amended", "Group session register corrected"
    GROUP_ENROLMENT_CREATED = "group_enrolment.created", "Enrolled on a group course"
    GROUP_ENROLMENT_WITHDRAWN = "group_enrolment.withdrawn", "Withdrawn from a group course"
    GROUP_ATTENDANCE_RECORDED = "group_attendance.recorded", "Group attendance recorded"
    GROUP_MEASURE_RECORDED = "group_measure.recorded", "Group outcome measure recorded"

    # Child development evidence (development/): ASQ-3 reviews and EYFS profile results
    DEVELOPMENT_REVIEW_RECORDED = "development_review.recorded", "Child development review recorded"
    DEVELOPMENT_REVIEW_AMENDED = "development_review.amended", "Child development review corrected"
    DEVELOPMENT_REVIEW_IN_ERROR = "development_review.in_error", "Child development review marked recorded in error"

    # Advice log
    ADVICE_RECORDED = "advice.recorded", "Advice recorded"
    ADVICE_REFERRAL_LINKED = "advice.referral_linked", "Advice linked to the referral made"

    # Community groups, connections and community grants
    COMMUNITY_GROUP_ADDED = "community_group.added", "Community group added"
    COMMUNITY_GROUP_CHANGED = "community_group.changed", "Community group changed"
    COMMUNITY_GROUP_CHECKED = "community_group.checked", "Community group details checked"
    FAMILY_CONNECTED = "connection.made", "Family connected to a group or service"
    CONNECTION_OUTCOME = "connection.outcome", "Connection outcome recorded"
    GRANT_RECEIVED = "grant.received", "Community grant application received"
    GRANT_ASSESSED = "grant.assessed", "Community grant application assessed"
    GRANT_APPROVED = "grant.approved", "Community grant approved"
    GRANT_DECLINED = "grant.declined", "Community grant declined"
    GRANT_WITHDRAWN = "grant.withdrawn", "Community grant application withdrawn"
    GRANT_PAID = "grant.paid", "Community grant payment recorded"
    GRANT_MONITORING = "grant.monitoring", "Community grant monitoring return recorded"
    GRANT_BUDGET_ADJUSTED = "grant.budget_adjusted", "Community grants budget adjusted"

    # Partnership: team around the family meetings and onward referrals
    TAF_MEETING_RECORDED = "taf_meeting.recorded", "Team around the family meeting recorded"
    TAF_MEETING_AMENDED = "taf_meeting.amended", "Team around the family meeting corrected"
    TAF_MEETING_ACTION_DONE = "taf_meeting.action_done", "Meeting action done"
    ONWARD_REFERRAL_MADE = "onward_referral.made", "Onward referral made"
    ONWARD_REFERRAL_OUTCOME = "onward_referral.outcome", "Onward referral outcome recorded"

    # Workforce: vacancies, supervision, mandatory training and background checks (no family in any of them)
    VACANCY_OPENED = "vacancy.opened", "Vacancy entered"
    VACANCY_FILLED = "vacancy.filled", "Vacancy filled"
    SUPERVISION_RECORDED = "supervision.recorded", "Supervision session recorded"
    TRAINING_RECORDED = "training.recorded", "Mandatory training recorded"
    BACKGROUND_CHECK_RECORDED = "background_check.recorded", "DBS check recorded"

    # Families' voice: feedback, complaints, digital reach
    FEEDBACK_RECEIVED = "feedback.received", "Feedback received on the public form"
    COMPLAINT_RECORDED = "complaint.recorded", "Complaint recorded"
    COMPLAINT_RESPONDED = "complaint.responded", "Complaint response recorded"
    COMPLAINT_CORRECTED = "complaint.corrected", "Complaint corrected"
    DIGITAL_REACH_RECORDED = "digital_reach.recorded", "Digital reach recorded"

    # Privacy
    SUBJECT_ACCESS_RECEIVED = "subject_access.received", "Subject access request received"
    SUBJECT_ACCESS_REDACTIONS = "subject_access.redactions", "Subject access redactions recorded"
    SUBJECT_ACCESS_RELEASED = "subject_access.released", "Subject access response released"
    SUBJECT_ACCESS_DOWNLOADED = "subject_access.downloaded", "Subject access response downloaded"

    # Messages (notifications): the outbox, each person's preferences, a family's reminders
    MESSAGE_QUEUED = "message.queued", "Message queued"
    MESSAGE_SENT = "message.sent", "Message sent"
    MESSAGE_FAILED = "message.failed", "Message could not be sent"
    NOTIFICATION_PREFERENCES_CHANGED = "notification.preferences_changed", "Message preferences changed"
    FAMILY_REMINDERS_STOPPED = "family.reminders_stopped", "Family's reminders stopped"

    # Reporting
    RETURN_GENERATED = "return.generated", "Quarterly return generated"
    RETURN_SUBMITTED = "return.submitted", "Quarterly return submitted"
