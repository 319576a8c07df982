/** The operations the console sends to /governance/graphql; each selects only what it shows. */

const PROBLEM = "line rule message";

const VERSION = `id agency number status text note reason author createdAt proposedAt
  approvedBy approvedAt reviewComment rejectedBy rejectedAt publishedBy publishedAt restoredFrom
  discardedAt problems { ${PROBLEM} }
  emergency { reason reviewedBy reviewedAt reviewComment }`;

export const ME = "query GovernanceMe { me { id name agency agencyTitle roles } }";

export const LIVE_POLICY = `query GovernanceLivePolicy {
  livePolicy {
    agency
    version { id number status publishedAt }
    text
    matrix { roles rows { field cells { role outside inEnquiry breakGlass condition rules } } }
  }
}`;

export const POLICY_VERSIONS = `query GovernancePolicyVersions($first: Int) {
  policyVersions(first: $first) { ${VERSION} }
}`;

export const VALIDATE_POLICY = `query GovernanceValidate($text: String!) {
  validatePolicy(text: $text) { ${PROBLEM} }
}`;

export const IMPACT = `query GovernanceImpact($text: String!) {
  impact(text: $text) {
    problems { ${PROBLEM} }
    changes { role field purpose before after beforeCondition afterCondition change }
    affectedSubjects { type subjects fewerThan }
    caseChanges { name passedBefore passedAfter nowVisible nowWithheld }
  }
}`;

export const SIMULATE = `query GovernanceSimulate($input: SimulationInput!) {
  simulate(input: $input) {
    problems { ${PROBLEM} }
    type roles purpose inEnquiry breakGlass listed unlistedBy
    attributes { field value }
    fields { field visible rule reason toldRule }
  }
}`;

export const SIMULATION_OPTIONS = `query GovernanceSimulationOptions($text: String) {
  simulationOptions(text: $text) {
    types {
      type fields
      attributes { field kind list values }
      examples { name roles purpose attributes { field value } }
    }
    testProblems { ${PROBLEM} }
  }
}`;

export const SHADOW_REPORT = `query GovernanceShadowReport($versionId: ID!) {
  shadowReport(versionId: $versionId) {
    versionId requestsObserved differences { role field change count }
  }
}`;

export const ACCESS_LOG = `query GovernanceAccessLog($filter: AccessLogFilter, $first: Int, $after: String) {
  accessLog(filter: $filter, first: $first, after: $after) {
    entries {
      seq at requestId userId userAgency roles enquiryId breakGlassReason operationName outcome
      subjects released withheld { field rule } action
    }
    nextCursor
  }
}`;

const NOTIFICATION = `id seq at kinds userId userAgency roles enquiryId reason subjects fields
  acknowledgedBy acknowledgedAt`;

export const NOTIFICATIONS = `query GovernanceNotifications($acknowledged: Boolean, $first: Int, $after: String) {
  notifications(acknowledged: $acknowledged, first: $first, after: $after) {
    notifications { ${NOTIFICATION} }
    nextCursor
  }
}`;

export const ACKNOWLEDGE = `mutation GovernanceAcknowledge($id: ID!) {
  acknowledgeNotification(id: $id) { ${NOTIFICATION} }
}`;

export const SAVE_DRAFT = `mutation GovernanceSaveDraft($text: String!, $note: String) {
  saveDraft(text: $text, note: $note) { ${VERSION} }
}`;

export const PROPOSE = `mutation GovernancePropose($versionId: ID!, $reason: String!) {
  propose(versionId: $versionId, reason: $reason) { ${VERSION} }
}`;

export const APPROVE = `mutation GovernanceApprove($versionId: ID!, $comment: String) {
  approve(versionId: $versionId, comment: $comment) { ${VERSION} }
}`;

export const REJECT = `mutation GovernanceReject($versionId: ID!, $reason: String!) {
  reject(versionId: $versionId, reason: $reason) { ${VERSION} }
}`;

export const PUBLISH = `mutation GovernancePublish($versionId: ID!) {
  publish(versionId: $versionId) { ${VERSION} }
}`;

export const ROLLBACK = `mutation GovernanceRollback($toVersionId: ID!, $reason: String!) {
  rollback(toVersionId: $toVersionId, reason: $reason) { ${VERSION} }
}`;

/** The review card: a version's diff and impact against the policy in force. */
export const VERSION_REVIEW = `query GovernanceVersionReview($id: ID!) {
  policyVersion(id: $id) {
    id diffFromInForce widening
    impact {
      problems { ${PROBLEM} }
      changes { role field purpose before after beforeCondition afterCondition change }
      affectedSubjects { type subjects fewerThan }
      caseChanges { name passedBefore passedAfter nowVisible nowWithheld }
    }
  }
}`;

export const INBOX = `query GovernanceInbox {
  inbox {
    proposalsToReview { ${VERSION} }
    narrowingsToReview { ${VERSION} }
    awaitingOthers { ${VERSION} }
    unacknowledgedNotifications
  }
}`;

export const DISCARD_DRAFT = `mutation GovernanceDiscardDraft($versionId: ID!) {
  discardDraft(versionId: $versionId) { ${VERSION} }
}`;

export const PUBLISH_NARROWING = `mutation GovernancePublishNarrowing($versionId: ID, $text: String, $reason: String!) {
  publishNarrowing(versionId: $versionId, text: $text, reason: $reason) { ${VERSION} }
}`;

export const REVIEW_NARROWING = `mutation GovernanceReviewNarrowing($versionId: ID!, $comment: String!) {
  reviewNarrowing(versionId: $versionId, comment: $comment) { ${VERSION} }
}`;
