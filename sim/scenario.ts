// Scenario: the simulator's world (agents, configured agent states, Workspace options, campaigns
// with their records, outcomes of manually dialled numbers, the dialect). Validated with zod from JSON or YAML; a bad file fails
// with an Error naming the file and the path of each offending field.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { dialectSchema } from './dialect';

export const CALL_OUTCOMES = ['answer', 'busy', 'noAnswer', 'answeringMachine', 'invalid'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export const PHONE_TYPES = [
  'NoContactType', 'HomePhone', 'DirectBusinessPhone', 'BusinessWithExt', 'Mobile', 'VacationPhone',
  'Pager', 'Modem', 'VoiceMail', 'PinPager', 'EmailAddress', 'InstantMessaging',
] as const;

/** OCS call results, name → number (gws-api.md §6). */
export const CALL_RESULTS: Readonly<Record<string, number>> = {
  Ok: 0, Transferred: 1, Conferenced: 2, GeneralError: 3, SystemError: 4, RemoteRelease: 5, Busy: 6,
  NoAnswer: 7, SitDetected: 8, AnsweringMachine: 9, AllTrunksBusy: 10, SitInvalidNum: 11, SitVacant: 12,
  SitOperIntercept: 13, SitUnknownCall: 14, SitNoCircuit: 15, SitReorder: 16, Fax: 17, Abandoned: 21,
  Dropped: 26, DroppedNoAnswer: 27, Unknown: 28, Answer: 33, WrongParty: 40, DoNotCall: 51,
  CancelRecord: 52, WrongNumber: 53,
};

const isIanaZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const nonEmpty = z.string().min(1);
const fieldValue = z.union([z.string(), z.number(), z.boolean()]);

const agentSchema = z.strictObject({
  userName: nonEmpty,
  password: nonEmpty,
  firstName: z.string().default(''),
  lastName: z.string().default(''),
  place: nonEmpty,
  dn: z.string().regex(/^\d{2,10}$/, 'a DN is 2 to 10 digits'),
  group: nonEmpty,
});

const recordSchema = z.strictObject({
  recordHandle: z.number().int().positive().optional(),
  chainId: z.number().int().positive().optional(),
  phoneNumber: nonEmpty,
  phoneType: z.enum(PHONE_TYPES).default('HomePhone'),
  timeZone: z.string().refine(isIanaZone, 'not an IANA time zone name').default('America/New_York'),
  attempts: z.number().int().min(0).default(0),
  outcome: z.enum(CALL_OUTCOMES).default('answer'),
  fields: z.record(z.string(), fieldValue).default({}),
});

const campaignSchema = z.strictObject({
  name: nonEmpty,
  dialingMode: z.enum(['Preview', 'PushPreview']),
  group: nonEmpty,
  callingList: nonEmpty,
  applicationId: z.number().int().nonnegative(),
  description: z.string().default(''),
  outboundCallerId: z.string().default(''),
  wrapUpTime: z.number().int().min(0).default(30),
  records: z.array(recordSchema).default([]),
});

/** Operations of /api/v2/me/channels/voice that are not configured states. */
export const BUILT_IN_STATE_OPERATIONS = ['Ready', 'NotReady', 'AfterCallWork', 'AuxWork'] as const;

/** A configured agent state (GET /api/v2/settings/agent-states), posted by its operationName (gws-api.md §3). */
const agentStateSchema = z.strictObject({
  operationName: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'an operationName is a letter then letters, digits or _'),
  displayName: nonEmpty.optional(),
  state: z.enum(['NotReady', 'Ready']).default('NotReady'),
  reason: nonEmpty.optional(),
  workMode: nonEmpty.optional(),
});

const callResultName = z.string().refine((n) => Object.hasOwn(CALL_RESULTS, n), 'not an OCS call result name');

/** Keys of the scenario format that were renamed: a scenario still using one fails with a hint. */
const RENAMED: Readonly<Record<string, string>> = {
  notReadyReasons: 'Not Ready reasons are configured agent states now: use agentStates (operationName, displayName, reason)',
};

export const scenarioSchema = z
  .strictObject({
    name: z.string().default('scenario'),
    agents: z.array(agentSchema).min(1),
    /** GET /api/v2/settings/agent-states; each operationName can be posted to /me/channels/voice. */
    agentStates: z.array(agentStateSchema).default([]),
    /** Workspace option outbound.call-result-values (comma-separated). */
    callResults: z.array(callResultName).default(['Answer', 'Busy', 'NoAnswer', 'AnsweringMachine', 'WrongParty', 'WrongNumber']),
    /** Workspace option outbound.call-result-automatically-selected. */
    autoSelectedCallResult: callResultName.default('Unknown'),
    /** Workspace options interaction.disposition.key-name / .values; the default key of SetCallDisposition. */
    dispositions: z
      .strictObject({
        key: nonEmpty.default('DispositionCode'),
        values: z.array(nonEmpty).default(['Sale', 'NoSale', 'Callback', 'Complaint', 'Information']),
      })
      .default({ key: 'DispositionCode', values: ['Sale', 'NoSale', 'Callback', 'Complaint', 'Information'] }),
    /**
     * Merged over the generated settings["interaction-workspace"] options, e.g. to inject odd values.
     * Workspace sends strings (gws-api.md §3); a number is the other plausible form of a value whose
     * form no page confirms (the timed preview's seconds), so a scenario may send one.
     */
    workspaceOptions: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
    campaigns: z.array(campaignSchema).default([]),
    /** Outcome of a manual Dial, by dialled number. Unlisted numbers are answered. */
    dialOutcomes: z.record(z.string(), z.enum(CALL_OUTCOMES)).default({}),
    /** What varies between GWS servers (docs/simulator.md); unset keys take the defaults. */
    dialect: dialectSchema.default({}),
  })
  .superRefine((s, ctx) => {
    const seen = (key: string, values: string[], label: string): void => {
      const set = new Set<string>();
      values.forEach((v, i) => {
        if (set.has(v)) ctx.addIssue({ code: 'custom', path: ['agents', i, key], message: `duplicate ${label} ${v}` });
        set.add(v);
      });
    };
    seen('userName', s.agents.map((a) => a.userName), 'userName');
    seen('dn', s.agents.map((a) => a.dn), 'DN');
    const handles = new Set<number>();
    s.campaigns.forEach((c, ci) => {
      c.records.forEach((r, ri) => {
        if (r.recordHandle === undefined) return;
        if (handles.has(r.recordHandle)) {
          ctx.addIssue({ code: 'custom', path: ['campaigns', ci, 'records', ri, 'recordHandle'], message: `duplicate recordHandle ${r.recordHandle}` });
        }
        handles.add(r.recordHandle);
      });
    });
    const ops = new Set<string>(BUILT_IN_STATE_OPERATIONS);
    s.agentStates.forEach((st, i) => {
      if (ops.has(st.operationName)) {
        ctx.addIssue({ code: 'custom', path: ['agentStates', i, 'operationName'], message: `duplicate or built-in operationName ${st.operationName}` });
      }
      ops.add(st.operationName);
    });
    const names = new Set<string>();
    s.campaigns.forEach((c, ci) => {
      if (names.has(c.name)) ctx.addIssue({ code: 'custom', path: ['campaigns', ci, 'name'], message: `duplicate campaign ${c.name}` });
      names.add(c.name);
    });
  });

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioAgent = Scenario['agents'][number];
export type ScenarioAgentState = Scenario['agentStates'][number];
export type ScenarioCampaign = Scenario['campaigns'][number];
export type ScenarioRecord = ScenarioCampaign['records'][number];

const formatIssues = (error: z.ZodError): string =>
  error.issues
    .flatMap((i) => {
      const at = (path: PropertyKey[]): string => (path.length > 0 ? path.map(String).join('.') : '(root)');
      if (i.code === 'unrecognized_keys') {
        return i.keys.map((k) => `${at([...i.path, k])}: ${(i.path.length === 0 && Object.hasOwn(RENAMED, k) ? RENAMED[k] : undefined) ?? 'unknown key'}`);
      }
      return [`${at(i.path)}: ${i.message}`];
    })
    .join('; ');

/** Validates a scenario object; `source` names it in the error message. */
export function parseScenario(input: unknown, source = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (!result.success) throw new Error(`Invalid scenario ${source}: ${formatIssues(result.error)}`);
  return result.data;
}

/** Loads a scenario file (.json, or YAML for anything else). */
export function loadScenarioFile(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read scenario ${file}: ${(e as Error).message}`, { cause: e });
  }
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new Error(`Invalid scenario ${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`, { cause: e });
  }
  return parseScenario(raw, file);
}

export const DEFAULT_SCENARIO_FILE = join(dirname(fileURLToPath(import.meta.url)), 'scenarios', 'default.yaml');

export function loadDefaultScenario(): Scenario {
  return loadScenarioFile(DEFAULT_SCENARIO_FILE);
}

export function resolveScenario(s: Scenario | ScenarioInput | string | undefined): Scenario {
  if (s === undefined) return loadDefaultScenario();
  if (typeof s === 'string') return loadScenarioFile(s);
  return parseScenario(s, 'object');
}

/** Current UTC offset of an IANA zone, in seconds (GSW_TZ_OFFSET). */
export function tzOffsetSeconds(tz: string, at = new Date()): number {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value;
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(part ?? '');
    if (!m) return 0;
    const sign = m[1] === '-' ? -1 : 1;
    return sign * (Number(m[2]) * 3600 + Number(m[3]) * 60);
  } catch {
    return 0;
  }
}
