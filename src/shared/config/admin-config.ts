/** Players with admin rights in every server. */
export const AdminConfig = {
	userIds: [1, 9001] as readonly number[],
};
