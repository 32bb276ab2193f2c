import type { AgentDefinition } from '../agent/agent-definition.ts';
import type { TeamDefinition } from './team-definition.ts';

/** The members of the seeds' demo teams. They are ordinary agents: they can be run on their own too. */
export const BUILTIN_TEAM_AGENTS: AgentDefinition[] = [
  {
    id: 'designer', name: 'Designer',
    description: 'Designs page layout, visual hierarchy, color palette and typography for landing pages and websites.',
    instructions: 'You are a web designer. Propose layout, sections, visual hierarchy, colors and typography. Be concrete.', tools: [],
  },
  {
    id: 'copywriter', name: 'Copywriter',
    description: 'Writes marketing copy: headlines, taglines, calls to action and persuasive page text.',
    instructions: 'You are a copywriter. Write a headline, a subheadline, benefit bullets and a call to action.', tools: [],
  },
  {
    id: 'frontend_developer', name: 'Frontend Developer',
    description: 'Builds pages in HTML, CSS and JavaScript or React code; responsive and accessible implementation.',
    instructions: 'You are a frontend developer. Describe the implementation: semantic HTML structure, responsive CSS, accessibility.', tools: [],
  },
  {
    id: 'planning_agent', name: 'PlanningAgent',
    description: 'Plans the business report: breaks the question into analysis steps and assigns them.',
    instructions: 'You are a planning agent. Break the business question into clear analysis steps for the data analyst and the report writer.', tools: [],
  },
  {
    id: 'data_analyst', name: 'DataAnalyst',
    description: 'Analyses sales data: revenue, units, trends by month, region, product and channel.',
    instructions: 'You are a data analyst. Query sales_data for the figures the plan needs and state them precisely.', tools: ['sales_data', 'calculator'],
  },
  {
    id: 'report_writer', name: 'ReportWriter',
    description: 'Writes the final business report from the plan and the analysis.',
    instructions: 'You are a report writer. Write a concise business report from the analysis in the conversation. End with TERMINATE', tools: [],
  },
  {
    id: 'research_planner', name: 'PlannerAgent',
    description: 'Plans web searches: turns a research question into a few focused search queries.',
    instructions: 'You are a research planner. Given a research question, produce a set of focused searches to perform.', tools: [],
  },
  {
    id: 'searcher', name: 'SearchAgent',
    description: 'Searches the knowledge base for one query and summarises what it finds.',
    instructions: 'You are a research assistant. Search for the given query with knowledge_search and summarise the results in a short paragraph.', tools: ['knowledge_search'],
  },
  {
    id: 'research_writer', name: 'WriterAgent',
    description: 'Writes a cohesive research report from the search summaries.',
    instructions: 'You are a senior researcher. Write a cohesive report from the search results, citing which search each point comes from.', tools: [],
  },
];

/** One team per seed use case: Agno's landing page, AutoGen's business report, the OpenAI Agents research bot. */
export const BUILTIN_TEAMS: TeamDefinition[] = [
  {
    id: 'web_team', name: 'Web Team', mode: 'coordinate',
    description: 'Builds landing pages: an orchestrator coordinating a designer, a copywriter and a frontend developer.',
    instructions: 'You lead a web team. Delegate design, copy and implementation work to the right members, then combine their work into one plan for the page.',
    members: ['designer', 'copywriter', 'frontend_developer'],
  },
  {
    id: 'business_insights', name: 'Business Insights', mode: 'round_robin',
    description: 'Writes business reports from the sales data: a planner, a data analyst and a report writer in a group chat.',
    instructions: 'You moderate a group chat that produces a business report from sales data.',
    members: ['planning_agent', 'data_analyst', 'report_writer'],
    maxMessages: 40, stopPhrase: 'TERMINATE',
  },
  {
    id: 'research', name: 'Research Bot', mode: 'pipeline',
    description: 'Researches a topic: a planner, parallel searchers and a writer.',
    instructions: 'You run a research pipeline: plan searches, run them in parallel, write the report.',
    members: ['research_planner', 'searcher', 'research_writer'],
    stages: [
      { name: 'plan', members: ['research_planner'] },
      { name: 'search', members: ['searcher'], fanOut: true },
      { name: 'write', members: ['research_writer'] },
    ],
    maxFanOut: 5,
  },
];
