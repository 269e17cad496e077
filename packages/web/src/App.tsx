import { Center } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { useMe } from './auth';
import { AppLayout } from './components/AppLayout';
import { Loading, QueryError } from './components/common';
import { ErrorBoundary } from './components/ErrorBoundary';
import { endpoints, type Me } from './endpoints';
import { AccountPage } from './pages/AccountPage';
import { ActionPage } from './pages/ActionPage';
import { CapaPage } from './pages/CapaPage';
import { CapasPage } from './pages/CapasPage';
import { ChangePage } from './pages/ChangePage';
import { ChangePasswordPage } from './pages/ChangePasswordPage';
import { ChangesPage } from './pages/ChangesPage';
import { DeviationPage } from './pages/DeviationPage';
import { DeviationsPage } from './pages/DeviationsPage';
import { DocumentPage } from './pages/DocumentPage';
import { DocumentRevisionPage } from './pages/DocumentRevisionPage';
import { DocumentsPage } from './pages/DocumentsPage';
import { DocumentTypesPage } from './pages/DocumentTypesPage';
import { IntegrityPage } from './pages/IntegrityPage';
import { JobFunctionsPage } from './pages/JobFunctionsPage';
import { LoginPage } from './pages/LoginPage';
import { MyTrainingPage } from './pages/MyTrainingPage';
import { NewCapaPage } from './pages/NewCapaPage';
import { NewChangePage } from './pages/NewChangePage';
import { NewDeviationPage } from './pages/NewDeviationPage';
import { NewDocumentPage } from './pages/NewDocumentPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { QualificationPage } from './pages/QualificationPage';
import { SearchPage } from './pages/SearchPage';
import { SetupPage } from './pages/SetupPage';
import { TasksPage } from './pages/TasksPage';
import { TrainingAssignmentPage } from './pages/TrainingAssignmentPage';
import { TrainingMatrixPage } from './pages/TrainingMatrixPage';
import { TrainingSessionPage } from './pages/TrainingSessionPage';
import { UsersPage } from './pages/UsersPage';
import { type Location, navigate, useLocation, withQuery } from './router';

const publicPaths = ['/login', '/setup'];

/** Every signed-in route, matched by hand: the whole URL space of the app in one place. */
function signedInRoute(location: Location, me: Me): ReactNode {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return <TasksPage />;
  if (path === '/deviations') return <DeviationsPage />;
  if (path === '/deviations/new') return <NewDeviationPage />;
  const deviation = /^\/deviations\/([0-9a-fA-F-]{36})$/.exec(path);
  if (deviation) return <DeviationPage id={deviation[1]} me={me} />;
  if (path === '/capas') return <CapasPage />;
  if (path === '/capas/new') return <NewCapaPage key={location.search.get('sourceRecordId') ?? ''} sourceRecordId={location.search.get('sourceRecordId')} />;
  const capa = /^\/capas\/([0-9a-fA-F-]{36})$/.exec(path);
  if (capa) return <CapaPage key={capa[1]} id={capa[1]} me={me} />;
  const action = /^\/actions\/([0-9a-fA-F-]{36})$/.exec(path);
  if (action) return <ActionPage key={action[1]} id={action[1]} me={me} />;
  if (path === '/changes') return <ChangesPage me={me} />;
  if (path === '/changes/new') return <NewChangePage key={location.search.get('sourceRecordId') ?? ''} me={me} sourceRecordId={location.search.get('sourceRecordId')} />;
  const change = /^\/changes\/([0-9a-fA-F-]{36})$/.exec(path);
  if (change) return <ChangePage key={change[1]} id={change[1]} me={me} />;
  if (path === '/documents') return <DocumentsPage />;
  if (path === '/documents/new') return <NewDocumentPage />;
  const revision = /^\/documents\/revisions\/([0-9a-fA-F-]{36})$/.exec(path);
  if (revision) return <DocumentRevisionPage key={revision[1]} id={revision[1]} me={me} />;
  const documentMatch = /^\/documents\/([0-9a-fA-F-]{36})$/.exec(path);
  if (documentMatch) return <DocumentPage key={documentMatch[1]} id={documentMatch[1]} me={me} />;
  if (path === '/admin/document-types') return <DocumentTypesPage me={me} />;
  if (path === '/training') return <MyTrainingPage me={me} />;
  if (path === '/training/matrix') return <TrainingMatrixPage me={me} />;
  if (path === '/training/qualification') return <QualificationPage me={me} />;
  if (path === '/training/job-functions') return <JobFunctionsPage me={me} />;
  if (path === '/training/sessions/new') return <TrainingSessionPage key={location.search.get('revisionId') ?? ''} me={me} revisionId={location.search.get('revisionId')} />;
  const assignment = /^\/training\/([0-9a-fA-F-]{36})$/.exec(path);
  if (assignment) return <TrainingAssignmentPage key={assignment[1]} id={assignment[1]} me={me} />;
  if (path === '/search') return <SearchPage q={location.search.get('q') ?? ''} />;
  if (path === '/admin/integrity') return <IntegrityPage />;
  if (path === '/admin/users') return <UsersPage me={me} />;
  if (path === '/account') return <AccountPage me={me} />;
  if (path === '/change-password') return <Redirect to="/account" />;
  return <NotFoundPage />;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return <Loading />;
}

export function App() {
  const location = useLocation();
  const setup = useQuery({ queryKey: ['setup-status'], queryFn: endpoints.setupStatus, staleTime: Number.POSITIVE_INFINITY, meta: { silent: true } });
  const me = useMe();

  if (setup.isPending || me.isPending) return <Loading label="Starting Verity…" />;
  if (me.isError) {
    return (
      <Center p="xl">
        <QueryError error={me.error} what="your session" />
      </Center>
    );
  }
  const path = location.pathname;

  if (setup.data?.needsSetup) {
    if (path !== '/setup') return <Redirect to="/setup" />;
    return <SetupPage token={location.search.get('token') ?? ''} />;
  }
  if (path === '/setup') return <Redirect to="/login" />;

  const user = me.data;
  if (!user) {
    if (!publicPaths.includes(path)) return <Redirect to={withQuery('/login', { next: location.href === '/' ? undefined : location.href })} />;
    return <LoginPage next={location.search.get('next')} expired={location.search.has('expired')} />;
  }
  if (user.mustChangePassword) {
    if (path !== '/change-password') return <Redirect to="/change-password" />;
    return <ChangePasswordPage me={user} />;
  }
  if (path === '/login') return <Redirect to={safeNext(location.search.get('next'))} />;

  return (
    <AppLayout me={user}>
      <ErrorBoundary resetKey={location.pathname}>
        {signedInRoute(location, user)}
      </ErrorBoundary>
    </AppLayout>
  );
}

/** Only follow in-app `next` targets (no open redirect to another origin). */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}
