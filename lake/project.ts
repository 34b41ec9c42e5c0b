import {LOCAL_USER_ID} from './store'

/** The one local user: whoever holds the token is the archive's administrator. */
export const LOCAL_USER = {
  id: LOCAL_USER_ID,
  name: 'Local editor',
  email: 'editor@localhost',
  role: 'administrator',
  roles: [{name: 'administrator', title: 'Administrator'}],
  provider: 'local',
}

export function projectInfo(projectId: string): Record<string, unknown> {
  return {
    id: projectId,
    displayName: 'Local fanfiction archive',
    studioHost: null,
    isBlocked: false,
    isDisabled: false,
    isDisabledByUser: false,
    organizationId: null,
    metadata: {},
    maxRetentionDays: 3650,
    activityFeedEnabled: false,
    createdAt: '2026-01-01T00:00:00Z',
    members: [{id: LOCAL_USER_ID, role: 'administrator', roles: [{name: 'administrator', title: 'Administrator'}], isCurrentUser: true, isRobot: false}],
    features: [],
  }
}

const ALL_DOCUMENTS = '_id in path("**")'
const PERMISSIONS = ['read', 'create', 'update', 'history', 'editHistory', 'manage']

/** Dataset ACL as the Studio's grants store reads it: everything allowed. */
export function datasetAcl(): Array<{filter: string; permissions: string[]}> {
  return [{filter: ALL_DOCUMENTS, permissions: PERMISSIONS}]
}

export function projectGrants(): Record<string, unknown> {
  const grant = (name: string) => ({name, params: {}, filter: ALL_DOCUMENTS})
  return {
    'sanity.document.filter.mode': [{grants: PERMISSIONS.map(grant)}],
    'sanity.document.filter': [{grants: PERMISSIONS.map(grant)}],
    'sanity.project': [{grants: ['read', 'update', 'deployStudio', 'createSession'].map((name) => ({name, params: {}}))}],
    'sanity.project.datasets': [{grants: ['read', 'create', 'update', 'delete'].map((name) => ({name, params: {}}))}],
  }
}
