/** The viewer's quiz messages (docs/protocol.md, "Quiz: answering, `nickname`, `standing`"). */

/** Sets (or, without `nickname`, resets to the generated one) the viewer's leaderboard name. */
export interface NicknameAction {
  type: 'nickname';
  nickname?: string;
  listed?: boolean;
}

/** Asks for the viewer's own result on the stage; answered by a `standing` message with the same id. */
export interface StandingAction {
  type: 'standing';
}

/** The reply to `standing`: only revealed questions count; `rank` is null while answers wait for their reveal. */
export interface StandingReply {
  type: 'standing';
  id: string;
  stageId: string;
  nickname: string;
  listed: boolean;
  points: number;
  correct: number;
  rank: number | null;
  participants: number;
  pending: number;
}
