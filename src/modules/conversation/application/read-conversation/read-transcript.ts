import type { UserDirectory } from '../../../user-account';
import { TranscriptPositionUnknown } from '../../domain/conversation.errors';
import type { TranscriptPage } from '../../domain/transcript-page';
import type { ConversationDetails, MessagingRepository } from '../messaging.repository';
import type { ConversationReading } from './read-conversation.use-case';

/** The page asked for of a conversation the reader may see, with the names of the agents in it. */
export async function readTranscript(
  conversations: MessagingRepository,
  users: UserDirectory,
  conversation: ConversationDetails,
  page: TranscriptPage,
): Promise<ConversationReading> {
  const transcript = await conversations.transcript(conversation.conversationId, page);
  if (transcript === undefined) throw new TranscriptPositionUnknown(page.after ?? '');
  const agentIds = transcript.messages.flatMap((m) => (m.sender.type === 'user' ? [m.sender.agentId] : []));
  if (conversation.agentId !== null) agentIds.push(conversation.agentId);
  return { conversation, transcript, page, agentNames: await users.displayNames(agentIds) };
}
