import { withAuth } from '../../lib/auth';

export default withAuth(async (req, res) => { // route: * nextjs
  res.json([]);
});
